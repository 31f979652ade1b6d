import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { HubAdminClient } from '../dev/hub-emulator/adminClient';
import { startHubEmulator, type RunningHubEmulator } from '../dev/hub-emulator/server';
import { WindowBudget } from '../src/core/windowBudget';
import { buildServices } from '../src/composition';
import { HubCallError } from '../src/core/hubCallError';
import { createHubClients } from '../src/hub/createHubClients';
import { createJob } from '../src/jobs/createJob';
import { loadSettings } from '../src/settings';
import { createStorageClients, type StorageClients } from '../src/storage/createStorageClients';
import { startAzurite, type RunningAzurite } from './support/azurite';
import { FakeHub } from './jobs/support/fakeHub';
import { methodJobSpec } from './jobs/support/useCaseFixture';

const hubConnectionString =
  'HostName=hub.example;SharedAccessKeyName=owner;SharedAccessKey=c2VjcmV0a2V5';

/** Settings with fresh storage names; nothing is contacted until a port is used. */
function settingsFor(env: Record<string, string> = {}) {
  return loadSettings({
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    IOTHUB_CONNECTION_STRING: hubConnectionString,
    TABLE_PREFIX: `c${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    JOB_REQUESTS_QUEUE: `c${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    ...env,
  });
}

/** A clock that moves only when told. */
function manualClock(iso: string) {
  let now = Date.parse(iso);
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

/** Storage clients that record the name of every table asked for. */
function recordingTables(clients: StorageClients): { clients: StorageClients; names: string[] } {
  const names: string[] = [];
  return {
    names,
    clients: {
      ...clients,
      table: (name) => {
        names.push(name);
        return clients.table(name);
      },
    },
  };
}

describe('buildServices with injected storage clients, hub and clock', () => {
  let azurite: RunningAzurite;

  before(async () => {
    azurite = await startAzurite();
  });
  after(() => azurite.stop());

  it('stores through the injected clients, stamps with the injected clock, submits to the injected hub', async () => {
    const settings = settingsFor({ AzureWebJobsStorage: azurite.connectionString });
    const recording = recordingTables(createStorageClients(settings.storage));
    const hub = new FakeHub();
    const clock = manualClock('2030-01-02T03:04:05.000Z');
    const services = buildServices(settings, { storageClients: recording.clients, hub, clock });
    const result = await createJob({ spec: methodJobSpec(), mode: 'post' }, services.deps);
    assert.equal(result.admission, 'submitted');
    assert.equal(result.job.createdAt, '2030-01-02T03:04:05.000Z');
    assert.equal(hub.callCount('createJob'), 1);
    assert.ok(recording.names.includes(`${settings.tablePrefix}jobs`), String(recording.names));
    const stored = await services.deps.jobStore.get(result.job.jobId);
    assert.equal(stored?.createdAt, '2030-01-02T03:04:05.000Z');
  });

  it('reuses one hub probe for /health within the reuse window of the injected clock', async () => {
    let pings = 0;
    const hub = new FakeHub();
    hub.ping = () => Promise.resolve(void pings++);
    const clock = manualClock('2030-01-02T03:04:05.000Z');
    const services = buildServices(settingsFor({ HEALTH_HUB_REUSE_SECONDS: '30' }), {
      hub,
      clock,
    });
    await services.probeHub();
    await services.probeHub();
    assert.equal(pings, 1);
    clock.advance(31_000);
    await services.probeHub();
    assert.equal(pings, 2);
  });
});

describe('buildServices with injected hub clients', () => {
  let emulator: RunningHubEmulator;
  let admin: HubAdminClient;
  let ca: Buffer;

  before(async () => {
    emulator = await startHubEmulator({
      certDir: path.join(tmpdir(), 'hubjobs-test-composition-cert'),
      devices: 1,
      log: () => undefined,
    });
    ca = await readFile(emulator.caFile);
    admin = new HubAdminClient({ ...emulator, ca });
  });
  after(() => emulator.close());

  it("wraps them in the gateway with the settings' retry count", async () => {
    const hubClients = createHubClients({
      connectionString: emulator.connectionString,
      endpoint: emulator.endpoint,
      ca,
    });
    const settings = settingsFor({ HUB_RETRY_COUNT: '2', HUB_RETRY_BASE_MS: '1' });
    // The budget in process: this test has no storage, and is about retries, not budgets.
    const hubBudget = new WindowBudget({
      limits: { jobsOperations: 100, queries: 20 },
      windowMs: 5000,
    });
    const services = buildServices(settings, { hubClients, hubBudget });
    await admin.addFault({ route: 'jobs.get', status: 500, count: 5 });
    await assert.rejects(services.hub.getJob(randomUUID()), (error: unknown) => {
      assert.ok(error instanceof HubCallError);
      assert.equal(error.kind, 'transient');
      return true;
    });
    assert.equal((await admin.requestCounts())['jobs.get'], 3);
  });
});

const run = promisify(execFile);

/** Which Azure SDKs a fresh process has loaded after importing the app and running `then`. */
async function sdksLoaded(then: string): Promise<{ atImport: string[]; after: string[] }> {
  const script = `
    const loaded = () => [...new Set(Object.keys(require.cache)
      .map((file) => /node_modules\\/(azure-iothub|@azure\\/(?!functions)[^/]+)\\//.exec(file)?.[1])
      .filter(Boolean))].sort();
    require('./src/index');
    const atImport = loaded();
    const { buildServices } = require('./src/composition');
    const { loadSettings } = require('./src/settings');
    const settings = loadSettings({
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      IOTHUB_CONNECTION_STRING: ${JSON.stringify(hubConnectionString)},
    });
    ${then}
    process.stdout.write(JSON.stringify({ atImport, after: loaded() }));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: path.resolve(__dirname, '..'),
  });
  return JSON.parse(stdout) as { atImport: string[]; after: string[] };
}

describe('when the Azure SDKs load (cold start)', () => {
  it('loads none when the app is imported, and the hub and storage SDKs at the first build', async () => {
    const { atImport, after } = await sdksLoaded('buildServices(settings);');
    assert.deepEqual(atImport, []);
    assert.ok(after.includes('azure-iothub'), String(after));
    assert.ok(after.includes('@azure/data-tables'), String(after));
  });

  it('never loads the hub SDK when a gateway is injected', async () => {
    const { after } = await sdksLoaded(
      `buildServices(settings, { hub: { ping: () => Promise.resolve() } });`,
    );
    assert.equal(after.includes('azure-iothub'), false, String(after));
    assert.ok(after.includes('@azure/data-tables'), String(after));
  });
});
