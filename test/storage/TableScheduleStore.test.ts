import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConcurrencyError } from '../../src/core/errors';
import { allPages } from '../../src/core/page';
import type { Schedule } from '../../src/schedules/schedule';
import { ScheduleExistsError } from '../../src/schedules/scheduleErrors';
import { TableScheduleStore } from '../../src/storage/TableScheduleStore';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

function makeSchedule(scheduleId: string, overrides: Partial<Schedule> = {}): Schedule {
  return {
    scheduleId,
    cron: '0 1 * * *',
    timeZone: 'Europe/Berlin',
    durationMinutes: 180,
    blackoutDates: ['2030-12-24'],
    rollout: { operation: { type: 'scheduleDeviceMethod' }, targets: { queryCondition: 'true' } },
    endBehavior: 'stopLaunching',
    enabled: true,
    definitionHash: 'h1',
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    runs: [],
    ...overrides,
  };
}

describe('TableScheduleStore', () => {
  const clients = useAzuriteStorage();
  const fresh = () => {
    const prefix = uniquePrefix();
    return new TableScheduleStore(() => clients().table(`${prefix}schedules`));
  };

  it('stores a schedule and reads it back as written', async () => {
    const store = fresh();
    const created = await store.create(makeSchedule('nightly'));
    const read = await store.get('nightly');
    assert.deepEqual(read, created);
    assert.equal(await store.get('other'), undefined);
  });

  it('refuses a second create under the same id', async () => {
    const store = fresh();
    await store.create(makeSchedule('nightly'));
    await assert.rejects(store.create(makeSchedule('nightly')), ScheduleExistsError);
  });

  it('guards updates by revision: a stale one throws ConcurrencyError', async () => {
    const store = fresh();
    const created = await store.create(makeSchedule('nightly'));
    const updated = await store.update({ ...created, lastEvaluatedAt: '2030-01-02T00:00:00.000Z' });
    assert.notEqual(updated.revision, created.revision);
    await assert.rejects(store.update({ ...created, enabled: false }), ConcurrencyError);
    assert.equal((await store.get('nightly'))?.lastEvaluatedAt, '2030-01-02T00:00:00.000Z');
  });

  it('keeps a schedule with many runs, its JSON split over several properties', async () => {
    const store = fresh();
    const runs = Array.from({ length: 100 }, (_, i) => ({
      opensAt: new Date(Date.UTC(2030, 0, 1, i)).toISOString(),
      closesAt: new Date(Date.UTC(2030, 0, 1, i, 30)).toISOString(),
      zone: 'Europe/Berlin',
      outcome: 'skipped' as const,
      reason: 'missed' as const,
      rolloutId: `w-${String(i).padStart(24, '0')}`,
      recordedAt: '2030-01-05T00:00:00.000Z',
    }));
    const template = { targets: { deviceIds: Array.from({ length: 3000 }, (_, i) => `d-${i}`) } };
    await store.create(makeSchedule('big', { runs, rollout: template }));
    const read = await store.get('big');
    assert.deepEqual(read?.runs, runs);
    assert.deepEqual(read?.rollout, template);
  });

  it('lists every schedule in id order, page by page, and deletes one', async () => {
    const store = fresh();
    for (const id of ['c', 'a', 'b']) await store.create(makeSchedule(id));
    const ids: string[] = [];
    for await (const page of allPages((continuationToken) =>
      store.list({
        pageSize: 2,
        ...(continuationToken === undefined ? {} : { continuationToken }),
      }),
    )) {
      ids.push(...page.items.map((schedule) => schedule.scheduleId));
    }
    assert.deepEqual(ids, ['a', 'b', 'c']);
    assert.equal(await store.delete('b'), true);
    assert.equal(await store.delete('b'), false);
    assert.deepEqual(
      (await store.list({ pageSize: 10 })).items.map((schedule) => schedule.scheduleId),
      ['a', 'c'],
    );
  });
});
