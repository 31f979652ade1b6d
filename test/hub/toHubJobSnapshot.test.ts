import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toHubJobSnapshot } from '../../src/hub/toHubJobSnapshot';

describe('toHubJobSnapshot', () => {
  it('maps a finished JobResponse with statistics and UTC times', () => {
    const snapshot = toHubJobSnapshot({
      jobId: 'job-1',
      type: 'scheduleDeviceMethod',
      status: 'completed',
      queryCondition: "deviceId = 'a'",
      createdTime: '2017-09-21T03:16:03.0318127Z',
      startTime: '2017-09-21T03:16:03.6213869',
      endTime: '2017-09-21T03:16:04.9515077Z',
      statusMessage: 'done',
      deviceJobStatistics: {
        deviceCount: 3,
        failedCount: 1,
        succeededCount: 2,
        runningCount: 0,
        pendingCount: 0,
      },
    });
    assert.deepEqual(snapshot, {
      jobId: 'job-1',
      type: 'scheduleDeviceMethod',
      status: 'completed',
      statistics: {
        deviceCount: 3,
        failedCount: 1,
        succeededCount: 2,
        runningCount: 0,
        pendingCount: 0,
        cancelledCount: 0,
      },
      statusMessage: 'done',
      createdTime: '2017-09-21T03:16:03.031Z',
      startTime: '2017-09-21T03:16:03.621Z',
      endTime: '2017-09-21T03:16:04.951Z',
    });
  });

  it('reads the DateTime.MaxValue end time of a running job as not ended', () => {
    const snapshot = toHubJobSnapshot({
      jobId: 'j',
      type: 'scheduleUpdateTwin',
      status: 'running',
      endTime: '9999-12-31T23:59:59.9999999',
    });
    assert.equal(snapshot?.endTime, undefined);
    assert.equal('endTime' in (snapshot ?? {}), false);
  });

  it('defaults missing statistics to zeros and normalises the status', () => {
    const snapshot = toHubJobSnapshot({
      jobId: 'j',
      type: 'scheduleUpdateTwin',
      status: 'canceled',
    });
    assert.equal(snapshot?.status, 'cancelled');
    assert.deepEqual(snapshot?.statistics, {
      deviceCount: 0,
      failedCount: 0,
      succeededCount: 0,
      runningCount: 0,
      pendingCount: 0,
      cancelledCount: 0,
    });
  });

  it('skips jobs hubjobs cannot run and records without an id', () => {
    assert.equal(toHubJobSnapshot({ jobId: 'j', type: 'export', status: 'running' }), undefined);
    assert.equal(toHubJobSnapshot({ type: 'scheduleUpdateTwin', status: 'running' }), undefined);
    assert.equal(toHubJobSnapshot('nonsense'), undefined);
  });
});
