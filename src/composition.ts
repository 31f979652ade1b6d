import { readFileSync } from 'node:fs';
import type { Clock } from './core/clock';
import type { HubBudget } from './core/hubBudget';
import type { HubClients, HubConnectionOptions } from './hub/createHubClients';
import { sharedProbe } from './hub/sharedProbe';
import { maxQueueDelaySeconds } from './jobs/jobUseCaseDeps';
import type { HubDeviceQuery } from './rollouts/ports';
import type { RolloutDeps } from './rollouts/rolloutDeps';
import { recordRolloutDeviceResults } from './rollouts/recordRolloutDeviceResults';
import { reservedContainerRule, type ContainerRules } from './rollouts/rolloutRequestSchema';
import { silentLogger } from './core/logger';
import type { PollOptions } from './jobs/pollActiveJobs';
import type { HubJobGateway } from './jobs/ports';
import type { PoisonSink } from './core/workQueue';
import type { ScheduleStore } from './schedules/ports';
import { hubBudgetLimits } from './core/hubBudgetLimits';
import { registerSecretValues } from './core/redactSecrets';
import { loadSettings, secretValuesOf, SettingsError, type Env, type Settings } from './settings';
import type { StorageAdapters } from './storage/createStorageAdapters';
import type { StorageClients } from './storage/createStorageClients';

/** Everything the functions need, built once per process on first use. */
export interface Services {
  settings: Settings;
  /** The use cases' ports; handlers swap in a logger bound to their invocation. */
  deps: RolloutDeps;
  /** Which blob containers a rollout's `deviceIdsBlob` may never name. */
  rolloutRules: ContainerRules;
  /** Maintenance window schedules (docs/schedules.md). */
  schedules: ScheduleStore;
  hub: HubJobGateway;
  poisonSink: PoisonSink;
  pollOptions: PollOptions;
  storage: Pick<StorageAdapters, 'checkHealth'>;
  /** Bound on each /health probe, so it answers quickly even when a dependency hangs. */
  healthProbeTimeoutMs: number;
  /** The hub's reachability for /health: `hub.ping()`, shared and reused (see sharedProbe). */
  probeHub: () => Promise<void>;
  /** hubjobs' share of the hub's quotas, which every hub call draws from; /health shows its use. */
  hubBudget?: HubBudget;
}

const systemClock = { now: () => new Date() };
let services: Services | undefined;

/**
 * The composition root: settings → clients → adapters, lazily and once. A bad setting throws
 * `SettingsError` naming it (and is tried again on the next call, so a fixed setting recovers).
 */
export function getServices(): Services {
  services ??= buildServices(loadSettings());
  return services;
}

/** Tests (and the local host) may provide their own services, or reset to rebuild. */
export function setServices(replacement: Services | undefined): void {
  services = replacement;
}

/**
 * For hosts at start-up: throws `SettingsError` naming every missing or malformed setting
 * (including an unreadable IOTHUB_CA_FILE), without building any client.
 */
export function validateConfiguration(env: Env = process.env): Settings {
  const settings = loadSettings(env);
  if (settings.hubCaFile !== undefined) readCaFile(settings.hubCaFile);
  return settings;
}

/**
 * What a caller (a test, the bench) may hand in instead of having it built from the settings:
 * storage as clients (wired here into the adapters) or as finished adapters, the hub as SDK
 * clients (wrapped here in the gateway with the settings' retries and timeout) or as a gateway,
 * and the clock every port reads.
 */
export type ServiceOverrides = StorageOverride &
  HubOverride & { clock?: Clock; hubBudget?: HubBudget };

type StorageOverride =
  | { storageClients?: StorageClients; storage?: never }
  | { storage: StorageAdapters; storageClients?: never };

type HubOverride =
  | { hubClients?: HubClients; hub?: never; fleet?: never }
  | { hub: HubJobGateway; fleet?: HubDeviceQuery; hubClients?: never };

/**
 * The Azure SDKs cost most of a cold start (about 0.9 s together), so they load when the first
 * invocation needs them, not when the Functions host imports the app; what a caller injects is
 * not loaded at all.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const hubModules = () => ({
  ...(require('./hub/AzureHubJobGateway') as typeof import('./hub/AzureHubJobGateway')),
  ...(require('./hub/AzureHubDeviceQuery') as typeof import('./hub/AzureHubDeviceQuery')),
  ...(require('./hub/createHubClients') as typeof import('./hub/createHubClients')),
  ...(require('./hub/hubRequestGate') as typeof import('./hub/hubRequestGate')),
});
const storageModules = () => ({
  ...(require('./storage/createStorageAdapters') as typeof import('./storage/createStorageAdapters')),
  ...(require('./storage/createStorageClients') as typeof import('./storage/createStorageClients')),
});
const identityModule = () => require('@azure/identity') as typeof import('@azure/identity');
/* eslint-enable @typescript-eslint/no-require-imports */

export function buildServices(settings: Settings, overrides: ServiceOverrides = {}): Services {
  registerSecretValues(secretValuesOf(settings));
  const clock = overrides.clock ?? systemClock;
  const storage = overrides.storage ?? storageAdapters(settings, clock, overrides.storageClients);
  const hubBudget = overrides.hubBudget ?? storage.hubBudget;
  // An injected gateway is the caller's to budget (BudgetedHubJobGateway wraps any gateway).
  const hubClients =
    overrides.hub === undefined
      ? (overrides.hubClients ?? hubModules().createHubClients(hubConnection(settings)))
      : undefined;
  const hub = overrides.hub ?? hubGateway(settings, hubBudget, hubClients);
  const fleet =
    overrides.fleet ??
    (hubClients === undefined ? noDeviceQuery : deviceQuery(settings, hubBudget, hubClients));
  const deps: RolloutDeps = {
    jobStore: storage.jobs,
    deviceResultStore: storage.deviceResults,
    idempotencyStore: storage.idempotency,
    hub,
    hubSlots: storage.hubSlots,
    queue: storage.workQueue,
    clock,
    logger: silentLogger,
    admission: {
      submitLeadSeconds: settings.submitLeadSeconds,
      submitRetryBaseSeconds: settings.submitRetryBaseSeconds,
      submitRetryMaxSeconds: settings.submitRetryMaxSeconds,
      maxQueueDelaySeconds,
      maxActiveJobs: settings.maxActiveJobs,
      slotClaimGraceSeconds: slotClaimGraceSeconds(settings),
      deviceOperationsPerSecond: settings.deviceOperationsPerSecond,
    },
    rollouts: storage.rollouts,
    rolloutChunks: storage.rolloutChunks,
    rolloutDeviceResults: storage.rolloutDeviceResults,
    resultsImported: recordRolloutDeviceResults(storage.rolloutDeviceResults, storage.rollouts),
    deviceIdBlobs: storage.deviceIdBlobs,
    fleet,
    rolloutOptions: {
      deviceOperationsPerSecond: settings.deviceOperationsPerSecond,
      queriesPerMinute: hubBudgetLimits(settings).perMinute.queries,
      maxTargetBlobBytes: settings.maxTargetBlobBytes,
      resolvePagesPerStep: settings.rolloutResolvePagesPerStep,
      resolveQueryShare: settings.rolloutResolveQueryShare,
      chunkEndWaitMs: settings.rolloutChunkEndWaitMs,
      chunkEndCheckMs: settings.rolloutChunkEndCheckMs,
      continuationLeadSeconds,
      verifyIntervalSeconds: settings.rolloutVerifyIntervalSeconds,
    },
  };
  return {
    settings,
    deps,
    rolloutRules: reservedContainerRule({
      ownContainers: storage.ownContainers,
      ...(settings.deploymentContainer === undefined
        ? {}
        : { deploymentContainer: settings.deploymentContainer }),
    }),
    schedules: storage.schedules,
    hub,
    poisonSink: storage.poison,
    pollOptions: pollOptions(settings),
    storage,
    healthProbeTimeoutMs: 5000,
    probeHub: sharedProbe(() => hub.ping(), settings.healthHubReuseSeconds * 1000, clock),
    hubBudget,
  };
}

function hubRetries(settings: Settings) {
  return {
    retries: settings.hubRetryCount,
    baseDelayMs: settings.hubRetryBaseMs,
    callTimeoutMs: settings.hubCallTimeoutMs,
  };
}

/** Every request the gateway sends, retries included, first draws from the hub budget. */
function hubGateway(
  settings: Settings,
  budget: HubBudget,
  clients: HubClients | undefined,
): HubJobGateway {
  const { AzureHubJobGateway, hubBudgetGate } = hubModules();
  return new AzureHubJobGateway(
    clients as HubClients,
    hubRetries(settings),
    hubBudgetGate(budget, {
      createJob: settings.hubBudgetWaitMs,
      cancelJob: settings.hubBudgetWaitMs,
    }),
  );
}

/**
 * host.json polls an idle queue every 2 s at most (`maxPollingInterval`), and queue delays are
 * whole seconds: a rollout's continuation arrives this early and waits the rest in process.
 */
const continuationLeadSeconds = 3;

/** An injected gateway without device queries: rollouts that need one fail, saying so. */
const noDeviceQuery: HubDeviceQuery = {
  countDevices: () => Promise.reject(new Error('No hub device query was configured.')),
  queryDeviceIds: () => Promise.reject(new Error('No hub device query was configured.')),
  countByValue: () => Promise.reject(new Error('No hub device query was configured.')),
};

/** Device queries (resolving and counting rollout targets) draw from the same budget. */
function deviceQuery(
  settings: Settings,
  budget: HubBudget,
  clients: HubClients | undefined,
): HubDeviceQuery {
  const { AzureHubDeviceQuery, hubBudgetGate } = hubModules();
  return new AzureHubDeviceQuery(
    clients as HubClients,
    hubRetries(settings),
    hubBudgetGate(budget, {
      countDevices: settings.hubBudgetWaitMs,
      queryDeviceIds: settings.hubBudgetWaitMs,
    }),
  );
}

function storageAdapters(
  settings: Settings,
  clock: Clock,
  clients: StorageClients | undefined,
): StorageAdapters {
  const { createStorageAdapters, createStorageClients } = storageModules();
  return createStorageAdapters(
    clients ?? createStorageClients(settings.storage),
    { tablePrefix: settings.tablePrefix, jobRequestsQueue: settings.jobRequestsQueue },
    { clock, createGraceSeconds: settings.createGraceSeconds, hubBudget: settings },
  );
}

function hubConnection(settings: Settings): HubConnectionOptions {
  const local = {
    ...(settings.hubEndpoint === undefined ? {} : { endpoint: settings.hubEndpoint }),
    ...(settings.hubCaFile === undefined ? {} : { ca: readCaFile(settings.hubCaFile) }),
  };
  if (settings.hub.kind === 'connectionString') {
    return { connectionString: settings.hub.connectionString, ...local };
  }
  const { DefaultAzureCredential } = identityModule();
  const credential = new DefaultAzureCredential({ managedIdentityClientId: settings.hub.clientId });
  return { hostName: settings.hub.hostName, credential, ...local };
}

function readCaFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new SettingsError([`IOTHUB_CA_FILE cannot be read (${file})`]);
  }
}

/** Longer than a submit can take with every retry, plus a tick: a younger hold may be in use. */
function slotClaimGraceSeconds(settings: Settings): number {
  const attempts = settings.hubRetryCount + 1;
  const retryDelaysMs = settings.hubRetryBaseMs * 2 ** attempts;
  const submitMs = settings.hubCallTimeoutMs * attempts + retryDelaysMs;
  return Math.ceil(submitMs / 1000) + settings.pollIntervalSeconds;
}

/** The poller spends hubjobs' share of the hub's quotas (docs/hub-budget.md), not the whole. */
function pollOptions(settings: Settings): PollOptions {
  const { perMinute } = hubBudgetLimits(settings);
  return {
    queriesPerMinute: perMinute.queries,
    jobsOperationsPerMinute: perMinute.jobsOperations,
    importQueryShare: settings.importQueryShare,
    pollIntervalSeconds: settings.pollIntervalSeconds,
    // Well past the longest back-off, so a live message chain is never doubled.
    stalledAfterSeconds: 2 * settings.submitRetryMaxSeconds + 2 * settings.pollIntervalSeconds,
  };
}
