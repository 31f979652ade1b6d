import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPEN_END_TIME } from '../../../../dev/hub-emulator/model/index';
import {
  ManualClock,
  methodJob,
  openModel,
  statisticsAddUp,
  twinJob,
  waitFor,
  waitForStatus,
} from './helpers';

describe('JobEngine lifecycle', () => {
  it('answers queued at create, with the full JobResponse and an open end time', () => {
    const model = openModel();
    const job = model.jobs.create('job01', methodJob({ jobId: 'job01' }));
    assert.equal(job.jobId, 'job01');
    assert.equal(job.type, 'scheduleDeviceMethod');
    assert.equal(job.status, 'queued');
    assert.equal(job.endTime, OPEN_END_TIME);
    assert.equal(
      job.maxExecutionTimeInSeconds,
      3600,
      'absent maxExecutionTimeInSeconds defaults to 3600',
    );
    assert.equal(job.startTime, job.createdTime, 'startTime null means now');
    assert.deepEqual(job.cloudToDeviceMethod, {
      methodName: 'reboot',
      payload: { delay: 5 },
      responseTimeoutInSeconds: 30,
      connectTimeoutInSeconds: 0,
    });
    model.close();
  });

  it('goes queued → scheduled → running → completed, with statistics adding up throughout', async () => {
    const clock = new ManualClock();
    const model = openModel({ devices: 6, limits: { deviceOperationsPerSecond: 2 } }, clock);
    const startTime = new Date(clock.now() + 60_000).toISOString();
    assert.equal(model.jobs.create('life', methodJob({ startTime })).status, 'queued');
    const scheduled = await waitForStatus(model, 'life', 'scheduled');
    assert.equal(scheduled.deviceJobStatistics.deviceCount, 0, 'devices are selected at start');
    clock.advance(60_000);
    const running = await waitForStatus(model, 'life', 'running');
    assert.equal(running.deviceJobStatistics.deviceCount, 6);
    assert.ok(running.deviceJobStatistics.pendingCount > 0, 'paced: some devices still wait');
    assert.ok(statisticsAddUp(running));
    while (model.jobs.get('life').status === 'running') {
      const sent = model.operations.list().length;
      clock.advance(1000);
      await waitFor(
        () => model.operations.list().length > sent || model.jobs.get('life').status !== 'running',
        'the next paced operation',
      );
      assert.ok(statisticsAddUp(model.jobs.get('life')));
    }
    const done = await waitForStatus(model, 'life', 'completed');
    assert.deepEqual(done.deviceJobStatistics, {
      deviceCount: 6,
      failedCount: 0,
      succeededCount: 6,
      runningCount: 0,
      pendingCount: 0,
    });
    assert.notEqual(done.endTime, OPEN_END_TIME);
    model.close();
  });

  it('completes a job whose devices failed, counting them in failedCount', async () => {
    const model = openModel({ devices: 50, permanentFailureShare: 0.5, offlineShare: 0.2 });
    model.jobs.create('mixed', methodJob());
    const done = await waitForStatus(model, 'mixed', 'completed');
    const stats = done.deviceJobStatistics;
    assert.ok(stats.failedCount > 0 && stats.succeededCount > 0, JSON.stringify(stats));
    assert.equal(stats.failedCount + stats.succeededCount, 50);
    model.close();
  });

  it('completes with deviceCount 0 when the condition matches no device', async () => {
    const model = openModel();
    model.jobs.create('empty', methodJob({ queryCondition: "deviceId = 'nobody'" }));
    const done = await waitForStatus(model, 'empty', 'completed');
    assert.equal(done.deviceJobStatistics.deviceCount, 0);
    assert.deepEqual(model.operations.list(), []);
    model.close();
  });

  it('runs only on the devices the condition selects', async () => {
    const model = openModel();
    model.jobs.create(
      'two',
      methodJob({ queryCondition: "deviceId IN ['device-00003', 'device-00007']" }),
    );
    await waitForStatus(model, 'two', 'completed');
    const devices = model.operations.list({ jobId: 'two' }).map((entry) => entry.deviceId);
    assert.deepEqual(devices.sort(), ['device-00003', 'device-00007']);
    model.close();
  });

  it('applies a twin job through the patch logic and lets the devices echo it', async () => {
    const model = openModel({ devices: 4, reportedEchoLatencyMs: 5 });
    model.jobs.create(
      'twin',
      twinJob({ queryCondition: "deviceId IN ['device-00001','device-00002']" }),
    );
    const done = await waitForStatus(model, 'twin', 'completed');
    assert.equal(done.deviceJobStatistics.succeededCount, 2);
    assert.equal(model.registry.getTwin('device-00001').tags.building, '43');
    assert.equal(model.registry.getTwin('device-00002').properties.desired.floor, 3);
    assert.equal(model.registry.getTwin('device-00003').properties.desired.floor, undefined);
    await waitFor(
      () => model.registry.getTwin('device-00002').properties.reported.floor === 3,
      'the echo',
    );
    const entries = model.operations.list({ jobId: 'twin' });
    assert.ok(
      entries.every((entry) => entry.operation === 'twinUpdate' && entry.outcome === 'succeeded'),
    );
    model.close();
  });

  it('fails the device part of a twin job whose etag does not match, with PreconditionFailed', async () => {
    const model = openModel({ devices: 2 });
    const job = twinJob({ updateTwin: { etag: 'c3RhbGU=', tags: { building: '43' } } });
    model.jobs.create('stale', job);
    const done = await waitForStatus(model, 'stale', 'completed');
    assert.equal(done.deviceJobStatistics.failedCount, 2);
    const records = model.query(
      "SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'stale'",
    ).items;
    assert.deepEqual(
      records.map((record) => (record as { error?: { code: string } }).error?.code),
      ['PreconditionFailed', 'PreconditionFailed'],
    );
    model.close();
  });
});

describe('JobEngine cancel and time limits', () => {
  it('cancels a job before it starts: cancelled, no device touched', async () => {
    const model = openModel();
    const startTime = new Date(Date.now() + 3_600_000).toISOString();
    model.jobs.create('later', methodJob({ startTime }));
    await waitForStatus(model, 'later', 'scheduled');
    const cancelled = model.jobs.cancel('later');
    assert.equal(cancelled.status, 'cancelled');
    assert.notEqual(cancelled.endTime, OPEN_END_TIME);
    assert.equal(model.jobs.get('later').status, 'cancelled');
    assert.deepEqual(model.operations.list(), []);
    model.close();
  });

  it('cancels a running job: remaining devices stop and become canceled', async () => {
    const model = openModel({ devices: 200, limits: { deviceOperationsPerSecond: 200 } });
    model.jobs.create('stop', methodJob());
    await waitFor(() => model.operations.list().length >= 5, 'a few device operations');
    const cancelled = model.jobs.cancel('stop');
    const lastSeqAtCancel = model.operations.list().at(-1)!.seq;
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.deviceJobStatistics.pendingCount, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      model.operations.list({ sinceSeq: lastSeqAtCancel }),
      [],
      'nothing ran after cancel',
    );
    const ran = model.operations.list({ jobId: 'stop' }).length;
    assert.ok(ran < 200, `only ${ran} of 200 devices ran`);
    const records = model.query(
      "SELECT * FROM devices.jobs WHERE devices.jobs.status = 'canceled'",
      { pageSize: 1000 },
    );
    assert.equal(records.items.length, 200 - ran);
    assert.equal(model.jobs.get('stop').status, 'cancelled');
    model.close();
  });

  it('spells canceled device records as the options say', async () => {
    const model = openModel({
      devices: 30,
      deviceCanceledSpelling: 'cancelled',
      limits: { deviceOperationsPerSecond: 1 },
    });
    model.jobs.create('spell', methodJob());
    await waitForStatus(model, 'spell', 'running');
    model.jobs.cancel('spell');
    const records = model.query(
      "SELECT * FROM devices.jobs WHERE devices.jobs.status = 'cancelled'",
      { pageSize: 100 },
    );
    assert.ok(records.items.length >= 29);
    model.close();
  });

  it('answers a finished job unchanged on cancel, and 404002 for an unknown one', async () => {
    const model = openModel();
    model.jobs.create('done', methodJob());
    await waitForStatus(model, 'done', 'completed');
    assert.equal(model.jobs.cancel('done').status, 'completed');
    assert.throws(() => model.jobs.cancel('nope'), { code: 404002 });
    assert.throws(() => model.jobs.get('nope'), { code: 404002 });
    model.close();
  });

  it('ends a job failed when it runs past maxExecutionTimeInSeconds; unreached devices fail', async () => {
    const clock = new ManualClock();
    const model = openModel({ devices: 10, limits: { deviceOperationsPerSecond: 1 } }, clock);
    model.jobs.create('slow', methodJob({ maxExecutionTimeInSeconds: 2 }));
    await waitForStatus(model, 'slow', 'running');
    clock.advance(2000);
    const failed = await waitForStatus(model, 'slow', 'failed');
    assert.match(failed.failureReason ?? '', /maxExecutionTimeInSeconds/);
    assert.notEqual(failed.endTime, OPEN_END_TIME);
    const stats = failed.deviceJobStatistics;
    assert.ok(stats.succeededCount >= 1 && stats.succeededCount < 10, JSON.stringify(stats));
    assert.equal(stats.failedCount, 10 - stats.succeededCount);
    assert.ok(statisticsAddUp(failed));
    model.close();
  });
});
