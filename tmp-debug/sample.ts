import { simpleParser } from 'mailparser';
import { buildInvite } from '../services/scheduling/domain/icalendar';
import { inviteEmail } from '../services/scheduling/domain/messages';
import { buildMime } from '../services/scheduling/domain/mime';
import type { KnownPerson, Session } from '../services/scheduling/domain/model';

const person = (personId: string, name: string, email: string, timezone: string): KnownPerson => ({
  personId, profile: { name, email, timezone, workingHours: { start: '09:00', end: '17:00' }, domain: 'backend', roles: ['employee'] },
  profileStamp: null, status: 'active', statusStamp: null, atRisk: null, atRiskStamp: null, version: 1,
});
const people = new Map([
  ['p-005', person('p-005', 'Linus Goldberg', 'linus.goldberg.5@example.com', 'Europe/Warsaw')],
  ['p-013', person('p-013', 'Edsger Hopper', 'edsger.hopper.13@example.com', 'America/New_York')],
]);
const session: Session = {
  sessionId: '4d2c1a8e-5b9f-4e0b-9a51-0c7e3f1d2b6a', kind: 'one-on-one', status: 'scheduled', hostId: 'p-005', participantIds: ['p-005', 'p-013'],
  mentorshipId: 'ms-1', podId: 'pod-1', planId: null, seriesId: 's', startsAt: '2027-03-02T15:00:00.000Z', endsAt: '2027-03-02T15:30:00.000Z',
  videoLink: 'https://meet.jit.si/mentoring-4d2c1a8e-5b9f-4e0b-9a51-0c7e3f1d2b6a', agenda: 'Goals for the quarter; feedback on the design review',
  actionItems: [], sequence: 0, createdAt: '', createdBy: 'p-013', updatedAt: '', outcome: null, cancelled: null, version: 1,
};
const reader = people.get('p-013') as KnownPerson;
const email = inviteEmail({ session, people, reader, organizer: { name: 'Mentoring programme', email: 'mentoring@example.com' }, uidDomain: 'example.com', stamp: new Date('2027-03-01T09:12:00Z') });
const raw = buildMime({
  from: { name: 'Mentoring programme', address: 'mentoring@example.com' },
  to: { name: reader.profile.name, address: reader.profile.email },
  subject: email.subject, date: new Date('2027-03-01T09:12:00Z'),
  messageId: `session.${session.sessionId}.session-invite.p-013.1@example.com`,
  text: email.text, html: email.html,
  calendar: email.calendar ? { method: email.calendar.method, content: buildInvite(email.calendar) } : undefined,
});
console.log(raw.split('\r\n').slice(0, 40).join('\n'));
const parsed = await simpleParser(raw);
console.log('---TEXT---');
console.log(parsed.text);
console.log('---ICS---');
console.log(parsed.attachments.find((a) => a.filename === 'invite.ics')?.content.toString());
