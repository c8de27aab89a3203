/**
 * Calendar invites as a calendar client reads them: parsed by an independent iCalendar parser
 * (ical.js), never by the code that wrote them.
 */
import ICAL from 'ical.js';

export interface ReadEvent {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location: string;
  url: string;
  status: string;
  organizer: { email: string; name: string };
  attendees: { email: string; name: string }[];
}

export interface ReadCalendar {
  method: string;
  events: ReadEvent[];
}

const mailtoOf = (value: unknown) => String(value).replace(/^mailto:/i, '');

export const readCalendar = (text: string): ReadCalendar => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    events: calendar.getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent);
      const organizer = vevent.getFirstProperty('organizer');
      return {
        uid: event.uid,
        sequence: Number(vevent.getFirstPropertyValue('sequence')),
        start: event.startDate.toJSDate(),
        end: event.endDate.toJSDate(),
        summary: event.summary,
        description: event.description,
        location: event.location,
        url: String(vevent.getFirstPropertyValue('url')),
        status: String(vevent.getFirstPropertyValue('status')),
        organizer: {
          email: mailtoOf(organizer?.getFirstValue()),
          name: String(organizer?.getParameter('cn') ?? ''),
        },
        attendees: vevent.getAllProperties('attendee').map((attendee) => ({
          email: mailtoOf(attendee.getFirstValue()),
          name: String(attendee.getParameter('cn') ?? ''),
        })),
      };
    }),
  };
};
