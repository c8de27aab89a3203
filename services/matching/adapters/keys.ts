/** Every key of the matching table is built here; only the repositories use these. */
export const personKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PROFILE' });

/** The directory listing: one index partition per status, sorted by domain then id, so a domain is a prefix. */
export const directoryPartition = (status: 'active' | 'offboarded') => `DIRECTORY#${status}`;
export const directoryIndexKey = (status: 'active' | 'offboarded', domain: string, personId: string) => ({
  gsi1pk: directoryPartition(status),
  gsi1sk: `${domain}#${personId}`,
});
export const directoryDomainPrefix = (domain: string) => `${domain}#`;

/** Every address belongs to one person: this item exists while someone (active or not) has it. */
export const emailKey = (email: string) => ({ pk: `EMAIL#${normalEmail(email)}`, sk: 'EMAIL' });
export const normalEmail = (email: string) => email.trim().toLowerCase();
/** Search by email prefix: the address items, sorted by address. */
export const PEOPLE_BY_EMAIL = 'PEOPLE_BY_EMAIL';
export const emailIndexKey = (email: string, personId: string) => ({
  gsi1pk: PEOPLE_BY_EMAIL,
  gsi1sk: `${normalEmail(email)}#${personId}`,
});

/** Search by name prefix: one item per person, sorted by the name without case or accents. */
export const nameSearchKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'SEARCH#NAME' });
export const PEOPLE_BY_NAME = 'PEOPLE_BY_NAME';
export const searchText = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
export const nameIndexKey = (name: string, personId: string) => ({
  gsi1pk: PEOPLE_BY_NAME,
  gsi1sk: `${searchText(name)}#${personId}`,
});

/** A leave HR reported before the directory knew the person (see applyHrChange). */
export const tombstoneKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'TOMBSTONE' });

/** A roster import: its job, its file (gzip chunks) and one report item per applied batch. */
export const importJobKey = (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'JOB' });
export const importFileKey = (importId: string, index: number) => ({
  pk: `IMPORT#${importId}`,
  sk: `FILE#${String(index).padStart(4, '0')}`,
});
export const importFilePrefix = 'FILE#';
export const importRowsKey = (importId: string, from: number) => ({
  pk: `IMPORT#${importId}`,
  sk: `ROWS#${String(from).padStart(7, '0')}`,
});
/** Unfinished imports, by when they last moved (the sweeper restarts those that stopped moving). */
export const IMPORTS_OPEN_PARTITION = 'IMPORTS_OPEN';
export const importsOpenIndexKey = (updatedAt: string, importId: string) => ({
  gsi1pk: IMPORTS_OPEN_PARTITION,
  gsi1sk: `${updatedAt}#${importId}`,
});

/** Programme settings: the domain list, the matching settings. */
export const settingsKey = (name: 'DOMAINS' | 'MATCHING') => ({ pk: 'SETTINGS', sk: name });

/** Pairings. The single generation/commit-slot item every pairing change goes through. */
export const matchingStateKey = () => ({ pk: 'MATCHING', sk: 'STATE' });

/** A pod's partition: its header and one item per active member. */
export const podKey = (podId: string) => ({ pk: `POD#${podId}`, sk: 'POD' });
export const podMemberKey = (podId: string, menteeId: string) => ({ pk: `POD#${podId}`, sk: `MEMBER#${menteeId}` });
export const podMemberPrefix = 'MEMBER#';
/** Active pods, sorted by domain then id (a sparse index: dissolved pods leave it). */
export const PODS_PARTITION = 'PODS';
export const podsIndexKey = (domain: string, podId: string) => ({
  gsi1pk: PODS_PARTITION,
  gsi1sk: `${domain}#${podId}`,
});
export const podsDomainPrefix = (domain: string) => `${domain}#`;
/** Every active mentorship, for matching runs. */
export const MENTORSHIPS_PARTITION = 'MENTORSHIPS';
export const mentorshipsIndexKey = (domain: string, mentorId: string, menteeId: string) => ({
  gsi1pk: MENTORSHIPS_PARTITION,
  gsi1sk: `${domain}#${mentorId}#${menteeId}`,
});

/** One active pod per mentor: this item exists while the mentor has one. */
export const mentorPodKey = (mentorId: string) => ({ pk: `MENTOR#${mentorId}`, sk: 'POD' });
/** At most one mentor per mentee: this item exists while the mentee is in a pod. */
export const menteeMentorshipKey = (menteeId: string) => ({ pk: `MENTEE#${menteeId}`, sk: 'MENTORSHIP' });
export const menteeOpenRequestKey = (menteeId: string) => ({ pk: `MENTEE#${menteeId}`, sk: 'OPEN_REQUEST' });
export const pastPairingKey = (menteeId: string, mentorId: string) => ({
  pk: `MENTEE#${menteeId}`,
  sk: `PAST#${mentorId}`,
});
export const pastPairingPrefix = 'PAST#';

/** Separations by decision (never expire): per mentee, and all of them for runs. */
export const separationKey = (menteeId: string, mentorId: string) => ({
  pk: `MENTEE#${menteeId}`,
  sk: `SEPARATED#${mentorId}`,
});
export const separationPrefix = 'SEPARATED#';
export const SEPARATIONS_PARTITION = 'SEPARATIONS';
export const separationsIndexKey = (mentorId: string, menteeId: string) => ({
  gsi1pk: SEPARATIONS_PARTITION,
  gsi1sk: `${mentorId}#${menteeId}`,
});

/** A mentee waiting for a place in their domain (one item per mentee), by domain then since. */
export const waitingKey = (menteeId: string) => ({ pk: `MENTEE#${menteeId}`, sk: 'WAITING' });
export const WAITING_PARTITION = 'WAITING';
export const waitingIndexKey = (domain: string, since: string, menteeId: string) => ({
  gsi1pk: WAITING_PARTITION,
  gsi1sk: `${domain}#${since}#${menteeId}`,
});
export const waitingDomainPrefix = (domain: string) => `${domain}#`;

/** A copy of each reassignment request under the mentee it is about and the person who asked, newest last. */
export const personRequestKey = (personId: string, createdAt: string, requestId: string) => ({
  pk: `PERSON#${personId}`,
  sk: `REQUEST#${createdAt}#${requestId}`,
});
export const personRequestPrefix = 'REQUEST#';
export const PAST_PAIRINGS_PARTITION = 'PAST_PAIRINGS';
export const pastPairingsIndexKey = (mentorId: string, menteeId: string) => ({
  gsi1pk: PAST_PAIRINGS_PARTITION,
  gsi1sk: `${mentorId}#${menteeId}`,
});

/** A run's partition: header, result chunks, commit steps. */
export const runKey = (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' });
export const runChunkKey = (runId: string, index: number) => ({
  pk: `RUN#${runId}`,
  sk: `RESULT#${String(index).padStart(4, '0')}`,
});
export const runChunkPrefix = 'RESULT#';
export const runStepKey = (runId: string, index: number) => ({
  pk: `RUN#${runId}`,
  sk: `STEP#${String(index).padStart(6, '0')}`,
});
export const runStepPrefix = 'STEP#';
/** A page of a run's result: pods, or people left out. */
export const runPageKey = (runId: string, kind: 'PODS' | 'LEFTOUT', index: number) => ({
  pk: `RUN#${runId}`,
  sk: `${kind}#${String(index).padStart(5, '0')}`,
});
/** Every run, newest last in the index (listed newest first). */
export const RUNS_PARTITION = 'RUNS';
export const runsIndexKey = (createdAt: string, runId: string) => ({
  gsi1pk: RUNS_PARTITION,
  gsi1sk: `${createdAt}#${runId}`,
});

export const requestKey = (requestId: string) => ({ pk: `REQUEST#${requestId}`, sk: 'REQUEST' });
export const requestsIndexKey = (status: string, createdAt: string, requestId: string) => ({
  gsi1pk: `REQUESTS#${status}`,
  gsi1sk: `${createdAt}#${requestId}`,
});

export const pendingRematchKey = (triggerId: string, menteeId: string) => ({
  pk: `REMATCH#${triggerId}`,
  sk: `MENTEE#${menteeId}`,
});
/** Every mentee waiting for a re-match, oldest first: the sweeper finds those left behind by age. */
export const PENDING_REMATCHES_PARTITION = 'REMATCHES';
export const pendingRematchesIndexKey = (since: string, triggerId: string, menteeId: string) => ({
  gsi1pk: PENDING_REMATCHES_PARTITION,
  gsi1sk: `${since}#${triggerId}#${menteeId}`,
});

/** Offboardings that arrived while a run held the commit slot: one partition, a handful of items. */
export const DEFERRED_OFFBOARDINGS_PARTITION = 'DEFERRED#OFFBOARDING';
export const deferredOffboardingKey = (personId: string) => ({
  pk: DEFERRED_OFFBOARDINGS_PARTITION,
  sk: `PERSON#${personId}`,
});
