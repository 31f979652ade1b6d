import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { InvocationContext, type FunctionTrigger, type TriggerMetadata } from '@azure/functions';
import type { HostLog } from './hostLog';

export interface Invocation<TInput> {
  functionName: string;
  trigger: FunctionTrigger;
  triggerMetadata?: TriggerMetadata;
  handler: (input: TInput, context: InvocationContext) => unknown;
  input: TInput;
  /** Why it ran, for the log line (`Timer fired.`, `Queue message abc, attempt 2.`). */
  reason: string;
}

export type InvocationOutcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/**
 * Calls a handler the way the Functions worker does: a fresh InvocationContext whose logs become
 * `[functionName] …` lines, the result awaited, a throw reported instead of propagated.
 */
export async function runInvocation<TInput>(
  log: HostLog,
  invocation: Invocation<TInput>,
): Promise<InvocationOutcome> {
  const { functionName } = invocation;
  const invocationId = randomUUID();
  const context = new InvocationContext({
    invocationId,
    functionName,
    logHandler: (level, ...args) => log(functionName, level, ...args),
    options: { trigger: invocation.trigger, extraInputs: [], extraOutputs: [] },
    ...(invocation.triggerMetadata ? { triggerMetadata: invocation.triggerMetadata } : {}),
  });
  const started = performance.now();
  const summary = (outcome: string): string =>
    `Executed (${outcome}, ${Math.round(performance.now() - started)} ms; ${invocation.reason} Id=${invocationId})`;
  try {
    const result: unknown = await invocation.handler(invocation.input, context);
    log(functionName, 'information', summary('Succeeded'));
    return { ok: true, result };
  } catch (error) {
    log(functionName, 'error', summary('Failed'), error);
    return { ok: false, error };
  }
}
