import type { TableClient } from '@azure/data-tables';
import { buildServices } from '../../src/composition';
import { hubBudgetTable } from '../../src/storage/createStorageAdapters';
import type { JobUseCaseDeps } from '../../src/jobs/jobUseCaseDeps';
import type { PollOptions } from '../../src/jobs/pollActiveJobs';
import { loadSettings, type Settings } from '../../src/settings';
import { createStorageClients, type StorageClients } from '../../src/storage/createStorageClients';

/** The app's ports as the composition root wires them, with every Table Storage request counted. */
export interface BenchServices {
  settings: Settings;
  deps: JobUseCaseDeps;
  pollOptions: PollOptions;
  storageClients: StorageClients;
  /** Table Storage requests sent so far (each attempt counts), the hub budget's included. */
  tableRequests(): number;
  /** Of those, the requests to the hub budget's table. */
  budgetRequests(): number;
}

type PipelinePolicy = Parameters<TableClient['pipeline']['addPolicy']>[0];

/** `buildServices` (the real composition root) over storage clients that count their requests. */
export function composeBenchServices(env: Record<string, string>): BenchServices {
  const settings = loadSettings(env);
  let tableRequests = 0;
  let budgetRequests = 0;
  const storageClients = countingTableRequests(createStorageClients(settings.storage), (table) => {
    tableRequests++;
    if (table.endsWith(hubBudgetTable)) budgetRequests++;
  });
  const services = buildServices(settings, { storageClients });
  return {
    settings,
    deps: services.deps,
    pollOptions: services.pollOptions,
    storageClients,
    tableRequests: () => tableRequests,
    budgetRequests: () => budgetRequests,
  };
}

function countingTableRequests(
  clients: StorageClients,
  onRequest: (table: string) => void,
): StorageClients {
  const counted = new WeakSet<TableClient>();
  const policyFor = (table: string): PipelinePolicy => ({
    name: 'benchTableRequestCounter',
    sendRequest: (request, next) => {
      onRequest(table);
      return next(request);
    },
  });
  return {
    ...clients,
    table: async (name) => {
      const client = await clients.table(name);
      if (!counted.has(client)) {
        counted.add(client);
        client.pipeline.addPolicy(policyFor(name));
      }
      return client;
    },
  };
}
