import type { HrEmployeeV1 } from '../../../../shared/contracts/hr-directory-events';
import { UnacceptableEventError } from '../../../../shared/events/consumer';
import { describeIssues, humaneParse } from '../../../../shared/http/validation';
import type * as z from '../../../../shared/zod';
import { PersonIdSchema, type PersonInput, PersonInputSchema } from './person';

/**
 * HR's employee record as a directory input. HR's data must meet the same rules as the
 * API's; a record that does not is an error for a human (it ends in the dead-letter queue).
 */
export const personInputFromHr = (
  employee: z.infer<ReturnType<typeof HrEmployeeV1>>,
): { personId: string; input: PersonInput } => {
  const { employeeId, ...fields } = employee;
  const personId = PersonIdSchema().safeParse(employeeId, humaneParse);
  const input = PersonInputSchema().safeParse(
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    humaneParse,
  );
  if (!personId.success || !input.success) {
    const issues = [
      ...(personId.success ? [] : describeIssues(personId.error, 'employeeId')),
      ...(input.success ? [] : describeIssues(input.error, 'employee')),
    ];
    throw new UnacceptableEventError(`HR employee ${employeeId} is not a valid directory record: ${issues.join('; ')}`);
  }
  return { personId: personId.data, input: input.data };
};
