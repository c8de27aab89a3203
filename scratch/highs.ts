import { hardCases } from './hard-cases';
