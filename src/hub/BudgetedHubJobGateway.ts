import type { HubBudget } from '../core/hubBudget';
import type { Page } from '../core/page';
import type { DeviceResult, JobSpec } from '../jobs/job';
import type { HubJobGateway, HubJobSnapshot } from '../jobs/ports';
import {
  defaultBudgetWaits,
  hubBudgetGate,
  type BudgetWaits,
  type HubRequestGate,
} from './hubRequestGate';

type QueryJobsArgs = Parameters<HubJobGateway['queryJobs']>;
type QueryDeviceResultsArgs = Parameters<HubJobGateway['queryDeviceResults']>;

/**
 * Any `HubJobGateway` drawing one call from the hub budget before each operation is handed to it;
 * without budget it throws `HubCallError('overBudget')` and the inner gateway is never called.
 * It counts operations, not requests: for an inner gateway that retries, give that gateway the
 * gate itself instead (`AzureHubJobGateway`'s `requestGate`), which also budgets every retry.
 */
export class BudgetedHubJobGateway implements HubJobGateway {
  private readonly gate: HubRequestGate;

  constructor(
    private readonly inner: HubJobGateway,
    budget: HubBudget,
    waits: BudgetWaits = defaultBudgetWaits,
  ) {
    this.gate = hubBudgetGate(budget, waits);
  }

  async createJob(jobId: string, spec: JobSpec): Promise<HubJobSnapshot> {
    await this.gate('createJob');
    return this.inner.createJob(jobId, spec);
  }

  async getJob(jobId: string): Promise<HubJobSnapshot> {
    await this.gate('getJob');
    return this.inner.getJob(jobId);
  }

  async cancelJob(jobId: string): Promise<HubJobSnapshot> {
    await this.gate('cancelJob');
    return this.inner.cancelJob(jobId);
  }

  async queryJobs(...args: QueryJobsArgs): Promise<Page<HubJobSnapshot>> {
    await this.gate('queryJobs');
    return this.inner.queryJobs(...args);
  }

  async queryDeviceResults(...args: QueryDeviceResultsArgs): Promise<Page<DeviceResult>> {
    await this.gate('queryDeviceResults');
    return this.inner.queryDeviceResults(...args);
  }

  async ping(): Promise<void> {
    await this.gate('ping');
    return this.inner.ping();
  }
}
