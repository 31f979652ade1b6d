import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { buildServices, setServices, type Services } from '../../src/composition';
import { pollJobsHandler } from '../../src/functions/pollJobs';
import { createJob } from '../../src/jobs/createJob';
import { loadSettings } from '../../src/settings';
import { FakeHubBudget } from '../support/fakeHubBudget';
import { methodJobSpec } from '../jobs/support/useCaseFixture';
import { rolloutFixture } from '../rollouts/support/rolloutFixture';
import { testContext } from './support/invoke';

/** Services over the in-memory fixture: storage is never contacted. */
function servicesWith(
  fixture: ReturnType<typeof rolloutFixture>,
  budget?: FakeHubBudget,
): Services {
  const settings = loadSettings({
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    IOTHUB_CONNECTION_STRING: 'HostName=hub.example;SharedAccessKeyName=owner;SharedAccessKey=a2V5',
    TABLE_PREFIX: `p${randomUUID().replace(/-/g, '').slice(0, 12)}`,
  });
  const { hubBudget: _storedBudget, ...built } = buildServices(settings, {
    hub: fixture.hub,
    ...(budget === undefined ? {} : { hubBudget: budget }),
  });
  return { ...built, deps: fixture.deps, ...(budget === undefined ? {} : { hubBudget: budget }) };
}

describe('pollJobs timer', () => {
  afterEach(() => setServices(undefined));

  it("logs the tick's spend of each share and the hub budget's last minute", async () => {
    const fixture = rolloutFixture();
    await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    const budget = new FakeHubBudget({ jobsOperations: 80, queries: 16 });
    await budget.take('jobsOperations', { count: 7 });
    setServices(servicesWith(fixture, budget));
    const logs: string[] = [];
    await pollJobsHandler({} as never, testContext(logs));
    const tick = logs.find((line) => line.includes('pollJobs: tick done'));
    assert.match(tick ?? '', /jobsOperations 1\/\d+, queries 0\/\d+/);
    const usage = logs.find((line) => line.includes('hub budget used in the last minute'));
    assert.match(usage ?? '', /jobsOperations.*7\/80/);
    assert.match(usage ?? '', /queries.*0\/16/);
  });

  it('logs no budget line when there is no budget', async () => {
    const fixture = rolloutFixture();
    await createJob({ spec: methodJobSpec(), mode: 'post' }, fixture.deps);
    setServices(servicesWith(fixture));
    const logs: string[] = [];
    await pollJobsHandler({} as never, testContext(logs));
    assert.ok(logs.some((line) => line.includes('pollJobs: tick done')));
    assert.equal(logs.filter((line) => line.includes('hub budget')).length, 0);
  });
});
