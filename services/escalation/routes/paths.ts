/**
 * Path parameters both route modules use, in a module of their own: the configuration API then
 * does not load (and build every schema of) the escalations' routes for one path schema.
 */

import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { DepartmentIdSchema } from '../domain/departments';

export const DepartmentPathSchema = lazySchema(() => z.strictObject({ departmentId: DepartmentIdSchema() }));
