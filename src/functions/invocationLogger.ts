import type { InvocationContext } from '@azure/functions';
import { redactSecrets, type Logger } from '../jobs/logger';

/** A use-case logger writing to the invocation's log (Application Insights in Azure). */
export function invocationLogger(context: InvocationContext): Logger {
  const line = (message: string, properties?: Record<string, unknown>): string =>
    redactSecrets(properties === undefined ? message : `${message} ${JSON.stringify(properties)}`);
  return {
    info: (message, properties) => context.log(line(message, properties)),
    warn: (message, properties) => context.warn(line(message, properties)),
    error: (message, properties) => context.error(line(message, properties)),
  };
}
