import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDueWindows } from '../../src/schedules/openDueWindows';
import { putSchedule } from '../../src/schedules/putSchedule';
import { parseScheduleRequest } from '../../src/schedules/scheduleRequestSchema';
import type { ScheduleDeps } from '../../src/schedules/scheduleDeps';
import { createStorageAdapters } from '../../src/storage/createStorageAdapters';
import { uniquePrefix, useAzuriteStorage } from '../storage/storageFixtures';
import { rebootTemplate, scheduleFixture } from './support/scheduleFixture';

describe('openWindows on two hosts at once (Azurite)', () => {
  const clients = useAzuriteStorage();

  it('starts one rollout per window occurrence and records it once', async () => {
    const names = { tablePrefix: uniquePrefix(), jobRequestsQueue: `q${uniquePrefix()}` };
    // Each host has adapters of its own over the same tables and queue.
    const host = (): ScheduleDeps => {
      const fixture = scheduleFixture('2030-01-01T01:05:00Z');
      const storage = createStorageAdapters(clients(), names, { clock: fixture.clock });
      return {
        ...fixture.deps,
        rollouts: storage.rollouts,
        schedules: storage.schedules,
        queue: storage.workQueue,
        jobStore: storage.jobs,
      };
    };
    const [first, second] = [host(), host()];
    const body = {
      cron: '0 * * * *',
      timeZone: 'UTC',
      durationMinutes: 30,
      rollout: rebootTemplate,
    };
    await putSchedule('hourly', parseScheduleRequest(body, first.rolloutRules), first);
    const reports = await Promise.all([openDueWindows(first), openDueWindows(second)]);
    assert.deepEqual(
      reports.map((report) => report.failed),
      [0, 0],
    );
    const rollouts = await first.rollouts.list({}, { pageSize: 100 });
    assert.equal(rollouts.items.length, 1);
    const schedule = await first.schedules.get('hourly');
    assert.deepEqual(
      schedule?.runs.map((run) => [run.opensAt, run.outcome, run.rolloutId]),
      [['2030-01-01T01:00:00.000Z', 'opened', rollouts.items[0]?.rolloutId]],
    );
    assert.equal(rollouts.items[0]?.spec.window?.closesAt, '2030-01-01T01:30:00.000Z');
  });
});
