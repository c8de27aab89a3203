/**
 * A synthetic organisation as the HR roster CSV POST /people/imports takes (for the import and
 * end-to-end matching benchmarks). Ids and addresses get a prefix, so several rosters can share a
 * directory; people who left and managers outside the roster are left out.
 */
import type { Person } from '../domain/people/person';
import { rosterColumns } from '../domain/people/roster-csv';

const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export const rosterCsvOf = (people: readonly Person[], prefix: string): string => {
  const active = people.filter((person) => person.status === 'active');
  const present = new Set(active.map((person) => person.personId));
  const id = (personId: string) => `${prefix}${personId}`;
  const rows = active.map((person) => {
    const values: Record<(typeof rosterColumns)[number], string> = {
      personId: id(person.personId),
      name: person.name,
      email: `${prefix}${person.email}`,
      timezone: person.timezone,
      domain: person.domain,
      level: String(person.level),
      projectIds: person.projectIds.map(id).join(';'),
      managerId: person.managerId && present.has(person.managerId) ? id(person.managerId) : '',
      skills: person.skills.join(';'),
      growthGoals: person.growthGoals.join(';'),
      languages: person.languages.join(';'),
      roles: person.roles.join(';'),
      mentorCapacity: person.roles.includes('mentor') ? String(person.mentorCapacity) : '',
      workingHoursStart: person.workingHours.start,
      workingHoursEnd: person.workingHours.end,
      yearsOfExperience: person.yearsOfExperience === undefined ? '' : String(person.yearsOfExperience),
      acceptingMentees: person.roles.includes('mentor') ? String(person.acceptingMentees) : '',
      rehire: '',
    };
    return rosterColumns.map((column) => cell(values[column])).join(',');
  });
  return `${[rosterColumns.join(','), ...rows].join('\n')}\n`;
};

/** The domains a roster needs, as PUT /domains takes them. */
export const domainsOf = (people: readonly Person[]) =>
  [...new Set(people.map((person) => person.domain))].sort().map((id) => ({ id, name: id }));
