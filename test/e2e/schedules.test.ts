import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { api, eventually, startE2eStack, type E2eStack } from './support/e2eStack';
import { assertEachOperatedOnce, fleetIds, rolloutWhenEnded } from './support/rolloutProbes';

const scale = 50;
const settings = {
  HUB_JOBS_OPS_PER_MINUTE: String(100 * scale),
  HUB_QUERIES_PER_MINUTE: String(20 * scale),
  HUB_DEVICE_OPS_PER_SECOND: String(10 * scale),
  // The window timer shortened from a minute to a second.
  WINDOW_SCHEDULE: '*/1 * * * * *',
};
const limits = {
  jobsOperationsPerMinute: 100 * scale,
  queriesPerMinute: 20 * scale,
  deviceOperationsPerSecond: 10 * scale,
};

/** Latest second of a minute to create the schedule at, so its 1-minute window is not about to close. */
const latestSecondToStart = 40;

describe('maintenance windows end to end (local host, emulator)', () => {
  let stack: E2eStack;

  before(async () => {
    stack = await startE2eStack({ devices: 10, tier: 'S1', limits }, settings);
  });
  after(async () => {
    await stack?.close();
  });

  it('starts the window open at creation at once: a real rollout, visible in GET /rollouts and in the runs', async () => {
    const second = new Date().getUTCSeconds();
    if (second > latestSecondToStart) await sleep((61 - second) * 1000);
    const devices = fleetIds(3);
    const put = await api(stack, 'PUT', '/schedules/every-minute', {
      cron: '* * * * *',
      timeZone: 'UTC',
      durationMinutes: 1,
      rollout: {
        operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
        targets: { deviceIds: devices },
      },
    });
    assert.equal(put.status, 201, put.text);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let run: any;
    await eventually('the schedule records an opened window', async () => {
      const schedule = await api(stack, 'GET', '/schedules/every-minute');
      run = schedule.json.runs.find((r: { outcome: string }) => r.outcome === 'opened');
      return run !== undefined;
    });
    assert.match(run.rolloutId, /^w-[0-9a-f]{24}$/);
    const listed = await api(stack, 'GET', '/rollouts?pageSize=10');
    assert.deepEqual(
      listed.json.items.map((rollout: { rolloutId: string }) => rollout.rolloutId),
      [run.rolloutId],
    );
    const rollout = await rolloutWhenEnded(stack, run.rolloutId);
    assert.equal(rollout.status, 'completed', rollout.statusMessage);
    const operations = (await stack.admin.listOperations()).filter((entry) =>
      (entry.jobId ?? '').startsWith(`${run.rolloutId}-w`),
    );
    assertEachOperatedOnce(operations, devices);
    const schedule = await api(stack, 'GET', '/schedules/every-minute');
    assert.equal(schedule.json.nextOpenings.length, 5);
    assert.match(schedule.json.nextOpenings[0].opensAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+00:00$/);
  });

  it('answers a bad schedule with a 400 naming the field, and stores nothing', async () => {
    const bad = await api(stack, 'PUT', '/schedules/bad', {
      cron: '* * * * *',
      timeZone: 'Mars/Olympus',
      durationMinutes: 1,
      rollout: {
        operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
        targets: { queryCondition: 'true' },
      },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('content-type')?.split(';')[0], 'application/problem+json');
    assert.deepEqual(
      bad.json.errors.map((error: { field: string }) => error.field),
      ['timeZone'],
    );
    assert.equal((await api(stack, 'GET', '/schedules/bad')).status, 404);
  });
});
