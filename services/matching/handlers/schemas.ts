import * as z from 'zod';
import { PersonIdSchema, PersonSchema } from '../domain/person';

export const PersonPathSchema = z.strictObject({ personId: PersonIdSchema });

export const ListPeopleQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
  domain: z.string().min(1).max(64).optional(),
});

export const PersonPageSchema = z.object({
  items: z.array(PersonSchema),
  nextCursor: z.string().optional(),
});

export const ImportRowResultSchema = z.object({
  line: z.int(),
  personId: z.string().optional(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'rejected']),
  errors: z.array(z.string()).optional(),
});

export const ImportReportSchema = z.object({
  created: z.int(),
  updated: z.int(),
  unchanged: z.int(),
  rejected: z.int(),
  rows: z.array(ImportRowResultSchema),
});
