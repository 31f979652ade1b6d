import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { HubCallError } from '../../src/core/hubCallError';
import { BudgetedHubJobGateway } from '../../src/hub/BudgetedHubJobGateway';
import { hubBudgetGate } from '../../src/hub/hubRequestGate';
import type { JobSpec } from '../../src/jobs/job';
import type { HubJobGateway } from '../../src/jobs/ports';
import { FakeHubBudget } from '../support/fakeHubBudget';
import { startGatewayTestHub, type GatewayTestHub } from './support/gatewayTestHub';

const spec: JobSpec = {
  type: 'scheduleDeviceMethod',
  queryCondition: "deviceId = 'device-00001'",
  cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 10 },
  maxExecutionTimeInSeconds: 300,
};

/** Every operation of the port, once, with the quota it should draw on. */
const operations: {
  name: string;
  quota: 'jobsOperations' | 'queries';
  run: (hub: HubJobGateway) => Promise<unknown>;
}[] = [
  { name: 'createJob', quota: 'jobsOperations', run: (hub) => hub.createJob(randomUUID(), spec) },
  { name: 'getJob', quota: 'jobsOperations', run: (hub) => hub.getJob(randomUUID()) },
  { name: 'cancelJob', quota: 'jobsOperations', run: (hub) => hub.cancelJob(randomUUID()) },
  {
    name: 'queryJobs',
    quota: 'jobsOperations',
    run: (hub) => hub.queryJobs({ status: 'running' }, {}),
  },
  { name: 'ping', quota: 'jobsOperations', run: (hub) => hub.ping() },
  {
    name: 'queryDeviceResults',
    quota: 'queries',
    run: (hub) => hub.queryDeviceResults(randomUUID(), {}, {}),
  },
];

function isOverBudget(error: unknown): boolean {
  assert.ok(error instanceof HubCallError);
  assert.equal(error.kind, 'overBudget');
  return true;
}

async function requestsSent(hub: GatewayTestHub): Promise<number> {
  const counts = await hub.admin.requestCounts();
  return Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
}

describe('hub calls drawing from the hub budget, against the emulator', () => {
  let hub: GatewayTestHub;
  const noSleep = { sleep: () => Promise.resolve() };
  const azureGateway = (budget?: FakeHubBudget) =>
    hub.gateway(noSleep, budget === undefined ? undefined : hubBudgetGate(budget, {}));

  before(async () => {
    hub = await startGatewayTestHub({ devices: 1 });
  });
  after(() => hub.close());
  beforeEach(() => hub.admin.resetRequestCounts());

  for (const wrapping of ['the decorator', 'the gateway’s request gate'] as const) {
    const budgeted = (budget: FakeHubBudget): HubJobGateway =>
      wrapping === 'the decorator'
        ? new BudgetedHubJobGateway(azureGateway(), budget, {})
        : azureGateway(budget);

    for (const operation of operations) {
      it(`sends no ${operation.name} and throws overBudget when ${operation.quota} is spent (${wrapping})`, async () => {
        const budget = new FakeHubBudget({ [operation.quota]: 0 });
        await assert.rejects(operation.run(budgeted(budget)), isOverBudget);
        assert.equal(await requestsSent(hub), 0);
        assert.deepEqual(
          budget.requests.map((request) => [request.quota, request.granted]),
          [[operation.quota, false]],
        );
      });
    }

    it(`takes one call of the right quota for each operation sent (${wrapping})`, async () => {
      const budget = new FakeHubBudget();
      const gateway = budgeted(budget);
      const jobId = randomUUID();
      await gateway.createJob(jobId, spec);
      await gateway.getJob(jobId);
      await gateway.queryDeviceResults(jobId, {}, {});
      assert.deepEqual(budget.taken, { jobsOperations: 2, queries: 1 });
      assert.equal(await requestsSent(hub), 3);
    });
  }

  it('budgets every retry: a retry without budget is not sent and the failure before it is thrown', async () => {
    const budget = new FakeHubBudget({ jobsOperations: 2 });
    const gateway = azureGateway(budget);
    await hub.admin.addFault({ route: 'jobs.query', status: 503, count: 5 });
    await assert.rejects(gateway.queryJobs({ status: 'running' }, {}), (error: unknown) => {
      assert.ok(error instanceof HubCallError);
      assert.equal(error.kind, 'transient');
      assert.equal(error.details.status, 503);
      return true;
    });
    assert.equal((await hub.admin.requestCounts())['jobs.query'], 2);
    assert.equal(budget.requests.length, 3, 'two attempts granted, the third refused');
    await hub.admin.clearFaults();
  });

  it('waits for the budget as long as the operation’s wait allows', async () => {
    const budget = new FakeHubBudget({ jobsOperations: 0 });
    const gateway = new BudgetedHubJobGateway(azureGateway(), budget, { cancelJob: 750 });
    await assert.rejects(gateway.cancelJob(randomUUID()), isOverBudget);
    await assert.rejects(gateway.getJob(randomUUID()), isOverBudget);
    assert.deepEqual(
      budget.requests.map((request) => request.maxWaitMs),
      [750, 0],
    );
  });
});
