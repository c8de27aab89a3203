/** Every key of the matching table is built here; only the repositories use these. */
export const personKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PROFILE' });

/** The directory listing: one index partition, sorted by domain then id, so a domain is a prefix. */
export const DIRECTORY_PARTITION = 'DIRECTORY';
export const directoryIndexKey = (domain: string, personId: string) => ({
  gsi1pk: DIRECTORY_PARTITION,
  gsi1sk: `${domain}#${personId}`,
});
export const directoryDomainPrefix = (domain: string) => `${domain}#`;

export const keyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
