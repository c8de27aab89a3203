/**
 * Programme settings that admins manage as data: the functional domains people belong to, and
 * the matching settings every run uses (and records).
 */

import { lazySchema } from '../../../../shared/lazy-schema';
import * as z from '../../../../shared/zod';
import { SafeTextSchema } from '../people/person';

export const DomainSchema = lazySchema(() =>
  z.strictObject({
    id: z
      .string()
      .check(
        z.trim(),
        z.toLowerCase(),
        z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and "-" (e.g. "backend")'),
      ),
    name: SafeTextSchema()(100),
  }),
);
export type Domain = z.infer<ReturnType<typeof DomainSchema>>;

export const DomainListBodySchema = lazySchema(() =>
  z.strictObject({
    domains: z.array(DomainSchema()).check(
      z.maxLength(200),
      z.refine(
        (domains) => new Set(domains.map((domain) => domain.id)).size === domains.length,
        'must not repeat an id',
      ),
    ),
  }),
);

export interface DomainList {
  domains: Domain[];
  /** 0 until the list is first set. */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

export const DomainListSchema = lazySchema(() =>
  z.object({
    domains: z.array(z.object({ id: z.string(), name: z.string() })),
    version: z.int(),
    updatedAt: z.optional(z.string()),
    updatedBy: z.optional(z.string()),
  }),
);

/** The weights and rules of the matching objective, as admins set them (ranges checked). */
export const MatchingSettingsSchema = lazySchema(() =>
  z.strictObject({
    weights: z
      .partial(
        z.strictObject({
          overlap: z.number().check(z.minimum(0), z.maximum(1000)),
          language: z.number().check(z.minimum(0), z.maximum(1000)),
          skills: z.number().check(z.minimum(0), z.maximum(1000)),
          seniority: z.number().check(z.minimum(0), z.maximum(1000)),
          balancedLoad: z.number().check(z.minimum(0), z.maximum(1000)),
          repeatPast: z.number().check(z.minimum(0), z.maximum(1000)),
          move: z.number().check(z.minimum(0), z.maximum(1000)),
        }),
      )
      .check(z.describe('Points of each objective term (0 switches it off); missing ones keep the engine default')),
    rules: z
      .partial(
        z.strictObject({
          minOverlapMinutes: z.int().check(z.minimum(0), z.maximum(600)),
          minLevelGap: z.int().check(z.minimum(0), z.maximum(5)),
          lockMonths: z.int().check(z.minimum(1), z.maximum(12)),
        }),
      )
      .check(z.describe('Hard rules admins may tune; pod sizes stay 3-5 (the programme’s rule)')),
    /** Past pairings older than this no longer cost the repeat penalty, and are forgotten. */
    repeatPenaltyMonths: z
      .int()
      .check(z.minimum(1), z.maximum(60), z.describe('How long a past pairing counts against a repeat')),
  }),
);
export type MatchingSettingsInput = z.infer<ReturnType<typeof MatchingSettingsSchema>>;

export interface StoredMatchingSettings extends MatchingSettingsInput {
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

export const DEFAULT_REPEAT_PENALTY_MONTHS = 24;

export const defaultMatchingSettings: StoredMatchingSettings = {
  weights: {},
  rules: {},
  repeatPenaltyMonths: DEFAULT_REPEAT_PENALTY_MONTHS,
  version: 0,
};

export const StoredMatchingSettingsSchema = lazySchema(() =>
  z.extend(MatchingSettingsSchema(), {
    version: z.int(),
    updatedAt: z.optional(z.string()),
    updatedBy: z.optional(z.string()),
  }),
);

/** Thrown by a save whose expected version is not the stored one (someone saved in between). */
export class SettingsChangedError extends Error {
  override readonly name = 'SettingsChangedError';
}

/** Removing a domain that people or pods still use. */
export class DomainInUseError extends Error {
  override readonly name = 'DomainInUseError';
}

export interface ProgrammeSettingsRepository {
  domains(): Promise<DomainList>;
  /** Replaces the list, only over `expectedVersion` (else SettingsChangedError). */
  saveDomains(list: DomainList): Promise<void>;
  matching(): Promise<StoredMatchingSettings>;
  saveMatching(settings: StoredMatchingSettings): Promise<void>;
}

/**
 * PUT /domains: replaces the list. A domain somebody active still belongs to cannot be removed
 * (move them first), so every person's domain stays one of the list.
 */
export const replaceDomains = async (
  deps: {
    programme: ProgrammeSettingsRepository;
    someoneActiveIn: (domain: string) => Promise<string | undefined>;
    now: Date;
  },
  domains: Domain[],
  updatedBy: string,
  expectedVersion?: number,
): Promise<DomainList> => {
  const current = await deps.programme.domains();
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new SettingsChangedError(
      `The domain list is at version ${current.version}, not ${expectedVersion}: someone changed it since you read it.`,
    );
  }
  const kept = new Set(domains.map((domain) => domain.id));
  for (const removed of current.domains.filter((domain) => !kept.has(domain.id))) {
    const member = await deps.someoneActiveIn(removed.id);
    if (member) {
      throw new DomainInUseError(
        `Domain ${removed.id} cannot be removed: people are still in it (${member}, among others perhaps); move them to another domain first.`,
      );
    }
  }
  const next: DomainList = {
    domains,
    version: current.version + 1,
    updatedAt: deps.now.toISOString(),
    updatedBy,
  };
  await deps.programme.saveDomains(next);
  return next;
};

/** PUT /matching/settings: replaces the settings (only over `expectedVersion` when given). */
export const replaceMatchingSettings = async (
  deps: { programme?: ProgrammeSettingsRepository; clock: () => Date },
  settings: MatchingSettingsInput,
  updatedBy: string,
  expectedVersion?: number,
): Promise<StoredMatchingSettings> => {
  if (!deps.programme) throw new Error('Matching settings are not available here');
  const current = await deps.programme.matching();
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new SettingsChangedError(
      `The matching settings are at version ${current.version}, not ${expectedVersion}: someone changed them since you read them.`,
    );
  }
  const next: StoredMatchingSettings = {
    ...settings,
    version: current.version + 1,
    updatedAt: deps.clock().toISOString(),
    updatedBy,
  };
  await deps.programme.saveMatching(next);
  return next;
};
