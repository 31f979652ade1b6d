import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildServices, type Services } from '../../src/composition';
import { pollActiveJobs } from '../../src/jobs/pollActiveJobs';
import { advanceActiveRollouts } from '../../src/rollouts/advanceActiveRollouts';
import { openDueWindows } from '../../src/schedules/openDueWindows';
import { putSchedule } from '../../src/schedules/putSchedule';
import { parseScheduleRequest } from '../../src/schedules/scheduleRequestSchema';
import type { ScheduleDeps } from '../../src/schedules/scheduleDeps';
import { loadSettings } from '../../src/settings';
import { ManualClock } from '../jobs/support/inMemoryStores';
import { driveUntil, startLiveStack, type LiveStack } from '../jobs/support/liveStack';
import { submitQueued } from './support/submitQueued';

// One device a second: the 40 devices' chunk is still running when the window closes.
const slowHub = { jobsOperationsPerMinute: 0, queriesPerMinute: 0, deviceOperationsPerSecond: 1 };

describe('a cancelRunning window closing on a running chunk (emulator, Azurite, injected clock)', () => {
  let stack: LiveStack;
  let services: Services;
  let deps: ScheduleDeps;
  const clock = new ManualClock(new Date('2030-01-01T10:00:10Z'));

  before(async () => {
    stack = await startLiveStack({ devices: 40, tier: 'S3', limits: slowHub });
    services = buildServices(loadSettings(stack.env({ HUB_DEVICE_OPS_PER_SECOND: '1' })), {
      clock,
    });
    deps = { ...services.deps, schedules: services.schedules, rolloutRules: services.rolloutRules };
  });
  after(async () => {
    await stack?.close();
  });

  const tick = async () => {
    await submitQueued(stack, services);
    await pollActiveJobs(deps, services.pollOptions);
    await advanceActiveRollouts(deps);
  };

  it('cancels the chunk at the hub at the close and ends the rollout completed', async () => {
    const body = {
      cron: '0 * * * *',
      timeZone: 'UTC',
      durationMinutes: 1,
      endBehavior: 'cancelRunning',
      rollout: {
        operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
        targets: { queryCondition: 'tags.floor >= 1' },
        waves: { count: 20 },
      },
    };
    await putSchedule('hourly', parseScheduleRequest(body, deps.rolloutRules), deps);
    await openDueWindows(deps);
    const rolloutId = (await deps.schedules.get('hourly'))?.runs[0]?.rolloutId ?? '';
    const chunkId = `${rolloutId}-w1-c1-a1`;
    await driveUntil('the first chunk runs at the hub', tick, async () =>
      ['running', 'scheduled', 'queued'].includes((await deps.jobStore.get(chunkId))?.status ?? ''),
    );
    clock.advanceSeconds(60);
    await advanceActiveRollouts(deps);
    assert.equal((await services.hub.getJob(chunkId)).status, 'cancelled', 'cancelled at the hub');
    await driveUntil(
      'the rollout ends',
      async () => {
        clock.advanceSeconds(5);
        await tick();
      },
      async () => (await deps.rollouts.listActive()).length === 0,
    );
    const rollout = await deps.rollouts.get(rolloutId);
    assert.equal(rollout?.status, 'completed');
    assert.match(
      rollout?.statusMessage ?? '',
      /wave\(s\) 2 did not start; running chunks were cancelled/,
    );
    const operated = (await stack.admin.listOperations()).filter((entry) =>
      (entry.jobId ?? '').startsWith(`${rolloutId}-`),
    );
    assert.ok(operated.length < 20, `${operated.length} devices operated before the cancel`);
    assert.ok(
      operated.every((entry) => entry.jobId === chunkId),
      'no second chunk started',
    );
  });
});
