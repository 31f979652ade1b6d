import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubError } from '../../../../dev/hub-emulator/hubError';
import type {
  DeviceJobJson,
  HubModel,
  PageRequest,
  TwinJson,
} from '../../../../dev/hub-emulator/model/index';
import { ManualClock, methodJob, openModel, twinJob, waitForStatus } from './helpers';

function allPages<T>(
  fetch: (page: PageRequest) => { items: T[]; continuationToken?: string },
  pageSize: number,
) {
  const pages: T[][] = [];
  let continuationToken: string | undefined;
  do {
    const page = fetch({ pageSize, ...(continuationToken ? { continuationToken } : {}) });
    pages.push(page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined && pages.length < 1000);
  return pages;
}

function queryPages(model: HubModel, sql: string, pageSize: number): object[][] {
  return allPages((page) => model.query(sql, page), pageSize);
}

describe('HubModel.query over devices', () => {
  it('pages through twins with continuation tokens; the last page has none', () => {
    const model = openModel({ devices: 250 });
    const pages = queryPages(model, 'SELECT * FROM devices', 100);
    assert.deepEqual(
      pages.map((page) => page.length),
      [100, 100, 50],
    );
    const ids = pages.flat().map((twin) => (twin as TwinJson).deviceId);
    assert.equal(new Set(ids).size, 250);
    assert.equal(model.query('SELECT * FROM devices').itemType, 'Twin');
    model.close();
  });

  it('returns exactly the twins the condition matches, across pages', () => {
    const model = openModel({ devices: 300 });
    const sql = "SELECT * FROM devices WHERE tags.building = '43' AND tags.floor > 4";
    const matched = queryPages(model, sql, 7).flat() as TwinJson[];
    const expected = model.registry
      .listDevices(300)
      .map((device) => model.registry.getTwin(device.deviceId))
      .filter((twin) => twin.tags.building === '43' && (twin.tags.floor as number) > 4);
    assert.ok(expected.length > 10);
    assert.deepEqual(
      matched.map((twin) => twin.deviceId),
      expected.map((twin) => twin.deviceId),
    );
    model.close();
  });

  it('answers SELECT COUNT() AS n with a single JSON item', () => {
    const model = openModel({ devices: 120 });
    const page = model.query("SELECT COUNT() AS n FROM devices WHERE tags.ring = 'broad'");
    const broad = queryPages(model, "SELECT * FROM devices WHERE tags.ring = 'broad'", 100).flat()
      .length;
    assert.equal(page.itemType, 'JSON');
    assert.deepEqual(page.items, [{ n: broad }]);
    assert.equal(page.continuationToken, undefined);
    model.close();
  });

  it('answers 400000 for bad syntax, a COUNT over devices.jobs, and a foreign continuation token', () => {
    const model = openModel({ devices: 5 });
    const codeOf = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        assert.ok(error instanceof HubError);
        return error.code;
      }
      return 'no error';
    };
    assert.equal(
      codeOf(() => model.query('SELECT * FROM devices ORDER BY deviceId')),
      400000,
    );
    assert.equal(
      codeOf(() => model.query('SELECT COUNT() AS n FROM devices.jobs')),
      400000,
    );
    const token = model.query('SELECT * FROM devices', { pageSize: 2 }).continuationToken;
    assert.ok(token);
    assert.equal(
      codeOf(() =>
        model.query('SELECT * FROM devices WHERE tags.floor > 1', { continuationToken: token }),
      ),
      400000,
    );
    assert.equal(
      codeOf(() => model.query('SELECT * FROM devices', { continuationToken: 'garbage' })),
      400000,
    );
    model.close();
  });

  it('keeps paging stable when devices are deleted between pages', () => {
    const model = openModel({ devices: 10 });
    const first = model.query('SELECT * FROM devices', { pageSize: 4 });
    model.registry.deleteDevice('device-00002');
    model.registry.deleteDevice('device-00006');
    const second = model.query('SELECT * FROM devices', {
      pageSize: 4,
      continuationToken: first.continuationToken!,
    });
    assert.deepEqual(
      second.items.map((twin) => (twin as TwinJson).deviceId),
      ['device-00005', 'device-00007', 'device-00008', 'device-00009'],
    );
    model.close();
  });
});

describe('HubModel.query over devices.jobs', () => {
  it('holds one record per device with its method response', async () => {
    const model = openModel({ devices: 30, permanentFailureShare: 0.3, offlineShare: 0.2 });
    model.jobs.create('m1', methodJob());
    model.jobs.create('t1', twinJob({ queryCondition: "deviceId = 'device-00001'" }));
    await waitForStatus(model, 'm1', 'completed');
    await waitForStatus(model, 't1', 'completed');
    const pages = queryPages(
      model,
      "SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'm1'",
      8,
    );
    assert.deepEqual(
      pages.map((page) => page.length),
      [8, 8, 8, 6],
    );
    const records = pages.flat() as DeviceJobJson[];
    assert.equal(new Set(records.map((record) => record.deviceId)).size, 30);
    for (const record of records) {
      assert.equal(record.jobType, 'scheduleDeviceMethod');
      const response = record.outcome.deviceMethodResponse;
      if (record.status === 'completed') {
        assert.equal(response?.status, 200);
        assert.deepEqual((response?.payload as { received: unknown }).received, { delay: 5 });
        assert.equal(record.error, undefined);
      } else {
        assert.equal(record.status, 'failed');
        assert.ok(
          ['DeviceNotOnline', 'DeviceMethodFailed'].includes(record.error?.code ?? ''),
          record.error?.code,
        );
      }
    }
    const twinRecords = model.query(
      "SELECT * FROM devices.jobs WHERE devices.jobs.jobType = 'scheduleUpdateTwin'",
    );
    assert.equal(twinRecords.itemType, 'DeviceJob');
    assert.deepEqual(
      twinRecords.items.map((record) => (record as DeviceJobJson).outcome),
      [{ deviceMethodResponse: null }],
    );
    model.close();
  });

  it('filters records by status and by job, across jobs', async () => {
    const model = openModel({ devices: 40, offlineShare: 0.5 });
    model.jobs.create('x1', methodJob());
    model.jobs.create('x2', methodJob());
    await waitForStatus(model, 'x1', 'completed');
    await waitForStatus(model, 'x2', 'completed');
    const failed = queryPages(
      model,
      "SELECT * FROM devices.jobs WHERE devices.jobs.status = 'failed'",
      5,
    ).flat();
    const expectedFailed =
      model.jobs.get('x1').deviceJobStatistics.failedCount +
      model.jobs.get('x2').deviceJobStatistics.failedCount;
    assert.equal(failed.length, expectedFailed);
    const offline = model.operations.list().filter((entry) => entry.outcome === 'offline').length;
    assert.equal(failed.length, offline);
    model.close();
  });
});

describe('JobEngine.query', () => {
  it('pages jobs in creation order with continuation tokens', async () => {
    const model = openModel({ devices: 0 });
    for (let index = 0; index < 250; index++) model.jobs.create(`job-${index}`, methodJob());
    await waitForStatus(model, 'job-249', 'completed');
    const pages = allPages((page) => model.jobs.query({}, page), 100);
    assert.deepEqual(
      pages.map((page) => page.length),
      [100, 100, 50],
    );
    assert.deepEqual(
      pages.flat().map((job) => job.jobId),
      Array.from({ length: 250 }, (_, index) => `job-${index}`),
    );
    model.close();
  });

  it('filters by jobType and jobStatus case-insensitively', async () => {
    const model = openModel({ devices: 2 });
    model.jobs.create('m', methodJob());
    model.jobs.create('t', twinJob());
    model.jobs.create(
      'later',
      methodJob({ startTime: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    await waitForStatus(model, 'm', 'completed');
    await waitForStatus(model, 't', 'completed');
    const ids = (filter: { jobType?: string; jobStatus?: string }) =>
      model.jobs.query(filter, {}).items.map((job) => job.jobId);
    assert.deepEqual(ids({ jobType: 'ScheduleDeviceMethod' }), ['m', 'later']);
    assert.deepEqual(ids({ jobType: 'scheduleUpdateTwin', jobStatus: 'Completed' }), ['t']);
    assert.deepEqual(ids({ jobStatus: 'scheduled' }), ['later']);
    assert.deepEqual(ids({ jobStatus: 'failed' }), []);
    model.close();
  });

  it('forgets finished jobs and their records after jobRetentionDays', async () => {
    const clock = new ManualClock();
    const model = openModel({ devices: 3, jobRetentionDays: 30 }, clock);
    model.jobs.create('old', methodJob());
    await waitForStatus(model, 'old', 'completed');
    clock.advance(29 * 24 * 3600 * 1000);
    assert.equal(model.jobs.get('old').status, 'completed');
    model.jobs.create('newer', methodJob());
    await waitForStatus(model, 'newer', 'completed');
    clock.advance(2 * 24 * 3600 * 1000);
    assert.throws(() => model.jobs.get('old'), { code: 404002 });
    assert.deepEqual(
      model.jobs.query({}, {}).items.map((job) => job.jobId),
      ['newer'],
    );
    const records = model.query('SELECT * FROM devices.jobs').items as DeviceJobJson[];
    assert.deepEqual([...new Set(records.map((record) => record.jobId))], ['newer']);
    assert.equal(model.jobs.create('old', methodJob()).status, 'queued', 'the id is free again');
    model.close();
  });
});
