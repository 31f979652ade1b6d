import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setServices, type Services } from '../../src/composition';
import { createJobHandler } from '../../src/functions/createJob';
import { startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { callHttp } from './support/invoke';

describe('a query condition that passes the syntax pre-check but the hub refuses', () => {
  let stack: LiveStack;
  let services: Services;

  before(async () => {
    stack = await startLiveStack({
      devices: 3,
      tier: 'S1',
      limits: { jobsOperationsPerMinute: 0 },
    });
    services = stack.services();
    setServices(services);
  });
  after(async () => {
    setServices(undefined);
    await stack.close();
  });

  it('is sent to the hub, stored as rejected with the hub’s reason, and answered 422', async () => {
    const response = await callHttp(createJobHandler, {
      method: 'POST',
      path: '/api/jobs',
      body: {
        type: 'scheduleDeviceMethod',
        queryCondition: 'tags.x LIKE 1',
        cloudToDeviceMethod: { methodName: 'reboot' },
        maxExecutionTimeInSeconds: 600,
      },
    });
    assert.equal(response.status, 422);
    assert.equal(response.json?.code, 'JOB_REJECTED');
    const jobId = String(response.json?.jobId);
    const stored = await services.deps.jobStore.get(jobId);
    assert.equal(stored?.status, 'rejected');
    assert.equal(stored?.statusMessage, 'The hub refused the job.');
    assert.match(stored?.failureReason ?? '', /LIKE|comparison operator/);
    assert.equal(stored?.resultsImport?.phase, 'done');
  });
});
