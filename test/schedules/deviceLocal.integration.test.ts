import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildServices, type Services } from '../../src/composition';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { advanceActiveRollouts } from '../../src/rollouts/advanceActiveRollouts';
import { openDueWindows } from '../../src/schedules/openDueWindows';
import { putSchedule } from '../../src/schedules/putSchedule';
import { parseScheduleRequest } from '../../src/schedules/scheduleRequestSchema';
import type { ScheduleDeps } from '../../src/schedules/scheduleDeps';
import { formatInZone } from '../../src/schedules/zonedTime';
import { loadSettings } from '../../src/settings';
import { ManualClock } from '../jobs/support/inMemoryStores';
import { submitQueued } from './support/submitQueued';
import { driveUntil, startLiveStack, type LiveStack } from '../jobs/support/liveStack';

const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
const unlimited = { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 0 };

describe('a device-local window over a fleet in three zones (emulator, Azurite, injected clock)', () => {
  let stack: LiveStack;
  let services: Services;
  let deps: ScheduleDeps;
  // The domain's clock; the emulator runs each hub job as soon as it is created.
  const clock = new ManualClock(new Date('2030-01-01T12:00:00Z'));

  before(async () => {
    stack = await startLiveStack({
      devices: 9,
      tier: 'S3',
      limits: unlimited,
      seedTimeZones: zones,
    });
    services = buildServices(loadSettings(stack.env()), { clock });
    deps = { ...services.deps, schedules: services.schedules, rolloutRules: services.rolloutRules };
  });
  after(async () => {
    await stack?.close();
  });

  /** One tick of the windows, then the poller and the queue until every rollout has ended. */
  async function openAndRun(atIso: string): Promise<void> {
    clock.advanceSeconds((Date.parse(atIso) - clock.now().getTime()) / 1000);
    await openDueWindows(deps);
    await driveUntil(
      'every rollout has ended',
      async () => {
        clock.advanceSeconds(5);
        await submitQueued(stack, services);
        await pollActiveJobs(deps, services.pollOptions);
        await advanceActiveRollouts(deps);
      },
      async () => (await services.deps.rollouts.listActive()).length === 0,
    );
  }

  it("opens three rollouts, each at 01:00 in its zone, each reaching only its zone's devices", async () => {
    const body = {
      cron: '0 1 * * *',
      timeZone: { tag: 'timeZone' },
      durationMinutes: 120,
      rollout: {
        operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
        targets: { queryCondition: 'tags.floor >= 1' },
      },
    };
    await putSchedule('local', parseScheduleRequest(body, deps.rolloutRules), deps);
    // 01:00 on Jan 2 in Kolkata (+05:30), Berlin (+01:00) and New York (-05:00).
    for (const at of ['2030-01-01T19:31:00Z', '2030-01-02T00:01:00Z', '2030-01-02T06:01:00Z']) {
      await openAndRun(at);
    }
    const schedule = await deps.schedules.get('local');
    const opened = schedule?.runs.filter((run) => run.outcome === 'opened') ?? [];
    assert.deepEqual(
      opened.map((run) => formatInZone(Date.parse(run.opensAt), run.zone)),
      ['2030-01-02T01:00:00+05:30', '2030-01-02T01:00:00+01:00', '2030-01-02T01:00:00-05:00'],
    );
    const twins = await stack.admin.listOperations();
    const zoneOf = new Map<string, string>();
    for (const [index, zone] of [...zones.entries()]) {
      for (let i = index; i < 9; i += zones.length) {
        zoneOf.set(`device-${String(i + 1).padStart(5, '0')}`, zone);
      }
    }
    for (const run of opened) {
      const reached = twins
        .filter((entry) => (entry.jobId ?? '').startsWith(`${run.rolloutId}-w`))
        .map((entry) => entry.deviceId)
        .sort();
      assert.equal(reached.length, 3, `${run.zone}: ${reached.join(', ')}`);
      assert.ok(
        reached.every((deviceId) => zoneOf.get(deviceId) === run.zone),
        run.zone,
      );
    }
  });
});
