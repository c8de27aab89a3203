import type { ServiceDeclaration } from '../shared/declaration';
import { apiDocsService } from './api-docs/declaration';
import { matchingService } from './matching/declaration';
import { pulseService } from './pulse/declaration';

/** Every deployed service. CDK and the local runtime both iterate this list. */
export const allServices: readonly ServiceDeclaration[] = [apiDocsService, matchingService, pulseService];
