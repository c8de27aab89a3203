/**
 * Path parameters both route modules use, in a module of their own: the matching API then does
 * not load (and build every schema of) the people routes for one path schema.
 */

import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { PersonIdSchema } from '../domain/people/person';

export const PersonPathSchema = lazySchema(() => z.strictObject({ personId: PersonIdSchema() }));
