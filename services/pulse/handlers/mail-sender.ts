import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadMailer, loadPulseDependencies } from '../adapters/dependencies';
import { createMailSender } from './mail-sender-handler';

export const handler = middy<unknown, unknown>(createMailSender(loadPulseDependencies(), loadMailer())).use(
  observability,
);
