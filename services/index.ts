import type { ServiceDeclaration } from '../shared/declaration';
import { apiDocsService } from './api-docs/declaration';
import { escalationService } from './escalation/declaration';
import { matchingService } from './matching/declaration';
import { pulseService } from './pulse/declaration';
import { schedulingService } from './scheduling/declaration';

/** Every deployed service. CDK and the local runtime both iterate this list. */
export const allServices: readonly ServiceDeclaration[] = [
  apiDocsService,
  matchingService,
  schedulingService,
  pulseService,
  escalationService,
];
