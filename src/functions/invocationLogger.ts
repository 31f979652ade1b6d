import type { InvocationContext } from '@azure/functions';
import { lineLogger, type Logger } from '../core/logger';

/** A use-case logger writing to the invocation's log (Application Insights in Azure). */
export function invocationLogger(context: InvocationContext): Logger {
  return lineLogger({
    info: (line) => context.log(line),
    warn: (line) => context.warn(line),
    error: (line) => context.error(line),
  });
}
