import type { ServiceDeclaration } from '../shared/declaration';
import { matchingService } from './matching/declaration';
import { platformService } from './platform/declaration';

/** Every deployed service. CDK and the local runtime both iterate this list. */
export const allServices: readonly ServiceDeclaration[] = [platformService, matchingService];
