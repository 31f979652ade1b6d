import type { HubBudget, HubQuota } from '../core/hubBudget';
import { HubCallError } from '../core/hubCallError';
import { describeError } from '../core/logger';

/** The hub calls hubjobs makes, each drawing on one quota. */
export type HubOperation =
  | 'createJob'
  | 'getJob'
  | 'cancelJob'
  | 'queryJobs'
  | 'queryDeviceResults'
  | 'ping'
  | 'countDevices'
  | 'queryDeviceIds';

export const quotaOfOperation: Readonly<Record<HubOperation, HubQuota>> = {
  createJob: 'jobsOperations',
  getJob: 'jobsOperations',
  cancelJob: 'jobsOperations',
  queryJobs: 'jobsOperations',
  ping: 'jobsOperations',
  queryDeviceResults: 'queries',
  countDevices: 'queries',
  queryDeviceIds: 'queries',
};

/**
 * Called before every request sent to the hub; throws `HubCallError('overBudget')` when the
 * request may not be sent now, so nothing goes out just to earn a 429.
 */
export type HubRequestGate = (operation: HubOperation) => Promise<void>;

/** The gate of a gateway nobody budgets: every request goes. */
export const openGate: HubRequestGate = () => Promise.resolve();

/**
 * How long a request may wait for its budget, per operation; what is not named waits for nothing.
 * A deferred call is cheap for every caller (a create answers 202 and the queue submits it, a
 * cancel is carried out by the next poll, the poller reads the job next tick), so the default is
 * to wait briefly for the calls a person is waiting on and not at all for the poller's.
 */
export type BudgetWaits = Partial<Record<HubOperation, number>>;

export const defaultBudgetWaits: BudgetWaits = { createJob: 1000, cancelJob: 1000 };

/** One call of the operation's quota from `budget`, waiting at most the operation's wait. */
export function hubBudgetGate(
  budget: HubBudget,
  waits: BudgetWaits = defaultBudgetWaits,
): HubRequestGate {
  return async (operation) => {
    const quota = quotaOfOperation[operation];
    const maxWaitMs = waits[operation] ?? 0;
    let granted: boolean;
    try {
      granted = await budget.take(quota, { count: 1, maxWaitMs });
    } catch (error) {
      // Budget unreadable (its storage is down): nothing is sent, as when it is spent.
      throw new HubCallError(
        'overBudget',
        `Not sent: hubjobs' budget for the hub's ${quota} quota cannot be read (${describeError(error)}).`,
      );
    }
    if (granted) return;
    throw new HubCallError(
      'overBudget',
      `Not sent: hubjobs' share of the hub's ${quota} quota is spent for now (${operation}).`,
    );
  };
}
