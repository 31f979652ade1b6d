import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setServices } from '../../src/composition';
import { healthHandler } from '../../src/functions/health';
import { BudgetedHubJobGateway } from '../../src/hub/BudgetedHubJobGateway';
import { FakeHubBudget } from '../support/fakeHubBudget';
import { devAccountKey } from '../support/azurite';
import { startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { callHttp } from './support/invoke';

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const health = () => callHttp(healthHandler, { path: '/api/health' });

describe('GET /health', () => {
  let stack: LiveStack;
  let hubKey: string;

  before(async () => {
    stack = await startLiveStack({ devices: 1, tier: 'S1' });
    hubKey = /SharedAccessKey=([^;]+)/.exec(stack.hub.connectionString)?.[1] ?? 'missing';
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });

  const assertNoSecret = (text: string) => {
    for (const secret of [hubKey, devAccountKey, 'sig='])
      assert.equal(text.includes(secret), false);
  };

  it('answers 200 when settings, storage and hub are fine', async () => {
    setServices(stack.services());
    const response = await health();
    assert.equal(response.status, 200);
    const { budget, ...rest } = response.json;
    assert.deepEqual(rest, {
      status: 'ok',
      checks: { settings: { status: 'ok' }, storage: { status: 'ok' }, hub: { status: 'ok' } },
    });
    // The shared budget, sized from S1 with the default share of 0.8.
    assert.equal(budget.jobsOperations.limitPerMinute, 80);
    assert.equal(budget.queries.limitPerMinute, 16);
  });

  it('spends one hub jobs operation on many probes, however often it is called', async () => {
    setServices(stack.services());
    await stack.admin.resetRequestCounts();
    const answers = await Promise.all([health(), health(), health()]);
    for (let again = 0; again < 3; again++) answers.push(await health());
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200, 200, 200],
    );
    assert.deepEqual(await stack.admin.requestCounts(), { 'jobs.query': 1 });
  });

  it('answers 503 naming the hub when the hub does not answer', async () => {
    setServices(stack.services({ IOTHUB_ENDPOINT: `https://127.0.0.1:${await closedPort()}` }));
    const response = await health();
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(response.json.down, ['hub']);
    assertNoSecret(response.text);
  });

  it('answers 503 naming storage when storage does not answer', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}/devstoreaccount1`;
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${devAccountKey};TableEndpoint=${endpoint};QueueEndpoint=${endpoint};BlobEndpoint=${endpoint};`;
    setServices({
      ...stack.services({ AzureWebJobsStorage: connectionString }),
      healthProbeTimeoutMs: 300,
    });
    const response = await health();
    assert.equal(response.status, 503);
    // Hub calls draw from the budget in storage, so none can go out.
    assert.deepEqual(response.json.down, ['storage', 'hub']);
    assert.match(response.json.checks.hub.detail, /budget, kept in storage/);
    assertNoSecret(response.text);
  });

  it('answers 503 naming the bad settings when the configuration is invalid', async () => {
    setServices(undefined);
    const saved = { ...process.env };
    process.env.IOTHUB_CONNECTION_STRING = `HostName=x;SharedAccessKey=${hubKey}`;
    delete process.env.AzureWebJobsStorage;
    try {
      const response = await health();
      assert.equal(response.status, 503);
      assert.equal(response.json.down[0], 'settings');
      assert.match(response.json.checks.settings.detail, /IOTHUB_CONNECTION_STRING/);
      assertNoSecret(response.text);
    } finally {
      process.env = saved;
      setServices(undefined);
    }
  });

  it('shows how much of each quota the last minute used when there is a budget', async () => {
    const budget = new FakeHubBudget({ jobsOperations: 80, queries: 16 });
    await budget.take('jobsOperations', { count: 7 });
    await budget.take('queries', { count: 3 });
    setServices({ ...stack.services(), hubBudget: budget });
    const response = await health();
    assert.equal(response.status, 200);
    assert.deepEqual(response.json.budget, {
      jobsOperations: { usedLastMinute: 7, limitPerMinute: 80 },
      queries: { usedLastMinute: 3, limitPerMinute: 16 },
    });
  });

  it('reports the hub up, not probed, when the budget leaves nothing for the probe', async () => {
    const services = stack.services();
    const spent = new BudgetedHubJobGateway(services.hub, new FakeHubBudget({ jobsOperations: 0 }));
    await stack.admin.resetRequestCounts();
    setServices({ ...services, probeHub: () => spent.ping() });
    const response = await health();
    assert.equal(response.status, 200);
    assert.deepEqual(response.json.checks.hub, {
      status: 'ok',
      detail: 'not probed: the hub budget is spent for now',
    });
    assert.deepEqual(await stack.admin.requestCounts(), {});
  });
});
