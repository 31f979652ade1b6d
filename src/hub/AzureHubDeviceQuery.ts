import type { Registry } from 'azure-iothub';
import { HubCallError } from '../core/hubCallError';
import { allPages, type Page } from '../core/page';
import type { HubDeviceQuery } from '../rollouts/ports';
import { makeRequestsAbortable } from './abortableRequests';
import { addValueCounts, countByValueQuery, type ValueCount } from './countByValueQuery';
import { countAlias, countDevicesQuery, deviceIdsQuery } from './deviceQueryText';
import { openGate, type HubOperation, type HubRequestGate } from './hubRequestGate';
import { readPage, withToken } from './readQueryPage';
import {
  defaultHubRetryOptions,
  withHubRetry,
  type HubCallPolicy,
  type HubRetryOptions,
} from './withHubRetry';

export interface HubDeviceQueryClients {
  registry: Registry;
}

/** The hub's documented largest page of a device query. */
export const maxDeviceQueryPageSize = 100;

/**
 * `HubDeviceQuery` over the `azure-iothub` registry: classified errors, retries, explicit
 * continuation tokens. Every request, retries included, first passes `requestGate` (one call of
 * the queries quota each), wired as `AzureHubJobGateway`'s is (src/hub/hubRequestGate.ts).
 */
export class AzureHubDeviceQuery implements HubDeviceQuery {
  private readonly registry: Registry;
  private readonly retryOptions: HubRetryOptions;

  constructor(
    clients: HubDeviceQueryClients,
    retryOptions: Partial<HubRetryOptions> = {},
    private readonly requestGate: HubRequestGate = openGate,
  ) {
    this.registry = clients.registry;
    // A timed-out call must close its socket; the SDK offers no other way to abort.
    makeRequestsAbortable(this.registry);
    this.retryOptions = { ...defaultHubRetryOptions, ...retryOptions };
  }

  async countDevices(queryCondition: string): Promise<number> {
    const sql = countDevicesQuery(queryCondition);
    return await withHubRetry(
      async () => countOf((await readPage(this.registry.createQuery(sql), undefined)).items),
      this.policy('countDevices'),
      this.retryOptions,
    );
  }

  /** Ids in the hub's registration order; each page's token resumes after its last id. */
  async queryDeviceIds(
    queryCondition: string,
    page: { pageSize?: number; continuationToken?: string },
  ): Promise<Page<string>> {
    const sql = deviceIdsQuery(queryCondition);
    const pageSize = checkedPageSize(page.pageSize);
    return await withHubRetry(
      async () => {
        const query = this.registry.createQuery(sql, pageSize);
        const { items, continuationToken } = await readPage(query, page.continuationToken);
        return withToken(items.map(deviceIdOf), continuationToken);
      },
      this.policy('queryDeviceIds'),
      this.retryOptions,
    );
  }

  /**
   * Every page of the grouped count, each page one query of the budget (drawn as a device count)
   * with its own retries; the counts come in the hub's order, a value on two pages counted once.
   */
  async countByValue(queryCondition: string, path: string): Promise<ValueCount[]> {
    const sql = countByValueQuery(queryCondition, path);
    const readGroups = (continuationToken: string | undefined) =>
      withHubRetry(
        async () => {
          const query = this.registry.createQuery(sql, maxDeviceQueryPageSize);
          const { items, continuationToken: next } = await readPage(query, continuationToken);
          return withToken(items, next);
        },
        this.policy('countDevices'),
        this.retryOptions,
      );
    const counts = new Map<unknown, ValueCount>();
    for await (const page of allPages(readGroups)) addValueCounts(counts, page.items);
    return [...counts.values()];
  }

  /** Reads are safe to repeat; each attempt, retries too, passes the gate first. */
  private policy(operation: HubOperation): HubCallPolicy {
    return { safeToRepeat: true, beforeAttempt: () => this.requestGate(operation) };
  }
}

function checkedPageSize(pageSize: number | undefined): number {
  if (pageSize === undefined) return maxDeviceQueryPageSize;
  if (Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= maxDeviceQueryPageSize) {
    return pageSize;
  }
  throw new HubCallError(
    'badRequest',
    `A device query page holds 1 to ${maxDeviceQueryPageSize} devices, not ${pageSize}.`,
  );
}

/** A missing id would silently drop a device from a rollout's targets, so it fails the page. */
function deviceIdOf(item: unknown): string {
  const deviceId = (item as { deviceId?: unknown } | null)?.deviceId;
  if (typeof deviceId === 'string' && deviceId !== '') return deviceId;
  throw new HubCallError('unknown', 'IoT Hub answered a device query item without a deviceId.');
}

function countOf(items: unknown[]): number {
  // An aggregate over no rows may come back as no rows at all.
  if (items.length === 0) return 0;
  const count = (items[0] as Record<string, unknown> | null)?.[countAlias];
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return count;
  throw new HubCallError('unknown', 'IoT Hub answered a device count without a count.');
}
