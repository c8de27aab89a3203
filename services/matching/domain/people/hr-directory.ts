import type * as z from 'zod';
import type { HrEmployeeV1 } from '../../../../shared/contracts/hr-directory-events';
import { UnacceptableEventError } from '../../../../shared/events/consumer';
import { PersonIdSchema, type PersonInput, PersonInputSchema } from './person';

/**
 * HR's employee record as a directory input. HR's data must meet the same rules as the
 * API's; a record that does not is an error for a human (it ends in the dead-letter queue).
 */
export const personInputFromHr = (employee: z.infer<typeof HrEmployeeV1>): { personId: string; input: PersonInput } => {
  const { employeeId, ...fields } = employee;
  const personId = PersonIdSchema.safeParse(employeeId);
  const input = PersonInputSchema.safeParse(
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  );
  if (!personId.success || !input.success) {
    const issues = [...(personId.success ? [] : personId.error.issues), ...(input.success ? [] : input.error.issues)];
    throw new UnacceptableEventError(
      `HR employee ${employeeId} is not a valid directory record: ${issues
        .map((issue) => `${issue.path.join('.') || 'employeeId'}: ${issue.message}`)
        .join('; ')}`,
    );
  }
  return { personId: personId.data, input: input.data };
};
