import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDueWindows } from '../../src/schedules/openDueWindows';
import { putSchedule } from '../../src/schedules/putSchedule';
import { parseScheduleRequest } from '../../src/schedules/scheduleRequestSchema';
import { windowRolloutId } from '../../src/schedules/windowRolloutId';
import { rebootTemplate, scheduleFixture, type ScheduleFixture } from './support/scheduleFixture';

const hourly = {
  cron: '0 * * * *',
  timeZone: 'UTC',
  durationMinutes: 30,
  rollout: rebootTemplate,
};

const runsOf = async (fixture: ScheduleFixture, scheduleId = 's1') =>
  (await fixture.schedules.get(scheduleId))?.runs.map((run) => [
    run.opensAt.slice(11, 16),
    run.outcome,
    run.reason,
  ]) ?? [];

describe('the window rules', () => {
  it('starts the window open when a schedule is created, late, at once', async () => {
    const fixture = scheduleFixture('2030-01-01T10:20:00Z');
    await fixture.put('s1', hourly);
    const report = await openDueWindows(fixture.deps);
    assert.equal(report.opened, 1);
    assert.deepEqual(await runsOf(fixture), [['10:00', 'opened', undefined]]);
    const rolloutId = windowRolloutId('s1', 'UTC', '2030-01-01T10:00:00.000Z');
    assert.equal(
      fixture.rollouts.rows.get(rolloutId)?.spec.window?.closesAt,
      '2030-01-01T10:30:00.000Z',
    );
  });

  it('records windows missed while the app was down as skipped, at most 10, and starts the one still open late', async () => {
    const fixture = scheduleFixture('2030-01-01T00:40:00Z');
    await fixture.put('s1', hourly);
    await openDueWindows(fixture.deps);
    fixture.setNow('2030-01-01T03:10:00Z');
    await openDueWindows(fixture.deps);
    assert.deepEqual(await runsOf(fixture), [
      ['01:00', 'skipped', 'missed'],
      ['02:00', 'skipped', 'missed'],
      ['03:00', 'opened', undefined],
    ]);
    fixture.setNow('2030-01-01T20:45:00Z');
    await openDueWindows(fixture.deps);
    const runs = await runsOf(fixture);
    assert.deepEqual(
      runs.slice(3),
      ['11', '12', '13', '14', '15', '16', '17', '18', '19', '20'].map((hour) => [
        `${hour}:00`,
        'skipped',
        'missed',
      ]),
    );
    assert.equal(fixture.rollouts.rows.size, 1);
  });

  it('skips a window while the previous run of the schedule is still active, and opens the next once it ended', async () => {
    const fixture = scheduleFixture('2030-01-01T01:05:00Z');
    await fixture.put('s1', hourly);
    await openDueWindows(fixture.deps);
    fixture.setNow('2030-01-01T02:05:00Z');
    await openDueWindows(fixture.deps);
    for (const rollout of fixture.rollouts.rows.values()) rollout.status = 'completed';
    fixture.setNow('2030-01-01T03:05:00Z');
    await openDueWindows(fixture.deps);
    assert.deepEqual(await runsOf(fixture), [
      ['01:00', 'opened', undefined],
      ['02:00', 'skipped', 'previousRunActive'],
      ['03:00', 'opened', undefined],
    ]);
    assert.equal(fixture.rollouts.rows.size, 2);
  });

  it('opens nothing for a disabled schedule, and does not catch up on its windows once enabled', async () => {
    const fixture = scheduleFixture('2030-01-01T01:05:00Z');
    await fixture.put('s1', { ...hourly, enabled: false });
    for (const at of ['01:10', '02:10', '03:10']) {
      fixture.setNow(`2030-01-01T${at}:00Z`);
      await openDueWindows(fixture.deps);
    }
    assert.equal(fixture.rollouts.rows.size, 0);
    assert.deepEqual(await runsOf(fixture), []);
    fixture.setNow('2030-01-01T03:40:00Z');
    await fixture.put('s1', hourly);
    fixture.setNow('2030-01-01T04:10:00Z');
    await openDueWindows(fixture.deps);
    assert.deepEqual(await runsOf(fixture), [['04:00', 'opened', undefined]]);
  });

  it('starts one rollout when two hosts tick at once, and a tick again starts nothing', async () => {
    const fixture = scheduleFixture('2030-01-01T01:05:00Z');
    await fixture.put('s1', hourly);
    const reports = await Promise.all([openDueWindows(fixture.deps), openDueWindows(fixture.deps)]);
    await openDueWindows(fixture.deps);
    assert.equal(fixture.rollouts.rows.size, 1);
    assert.deepEqual(await runsOf(fixture), [['01:00', 'opened', undefined]]);
    assert.ok(reports.every((report) => report.failed === 0));
  });

  it('does not resume a rollout its window stopped: the next window starts a rollout of its own', async () => {
    const fixture = scheduleFixture('2030-01-01T01:05:00Z');
    await fixture.put('s1', hourly);
    await openDueWindows(fixture.deps);
    const first = windowRolloutId('s1', 'UTC', '2030-01-01T01:00:00.000Z');
    const stopped = fixture.rollouts.rows.get(first);
    assert.ok(stopped !== undefined);
    stopped.status = 'completed';
    const { revision } = stopped;
    fixture.setNow('2030-01-01T02:05:00Z');
    await openDueWindows(fixture.deps);
    assert.equal(fixture.rollouts.rows.get(first)?.revision, revision, 'left as it was');
    const second = windowRolloutId('s1', 'UTC', '2030-01-01T02:00:00.000Z');
    assert.equal(fixture.rollouts.rows.get(second)?.status, 'accepted');
  });

  it('records a template the rollout intake refuses as skipped, naming why', async () => {
    const fixture = scheduleFixture('2030-01-01T01:05:00Z');
    const template = { ...rebootTemplate, targets: { deviceIdsBlob: 'producer/missing.txt' } };
    await fixture.put('s1', { ...hourly, rollout: template });
    await openDueWindows(fixture.deps);
    const run = (await fixture.schedules.get('s1'))?.runs[0];
    assert.equal(run?.reason, 'refused');
    assert.match(run?.message ?? '', /targets\.deviceIdsBlob/);
  });

  it('replays a PUT of the same schedule without a write, and keeps the runs when it is replaced', async () => {
    const fixture = scheduleFixture('2030-01-01T01:05:00Z');
    const rules = fixture.deps.rolloutRules;
    const first = await putSchedule('s1', parseScheduleRequest(hourly, rules), fixture.deps);
    await openDueWindows(fixture.deps);
    const stored = await fixture.schedules.get('s1');
    const again = await putSchedule('s1', parseScheduleRequest(hourly, rules), fixture.deps);
    assert.deepEqual([first.created, again.created], [true, false]);
    assert.equal(again.schedule.revision, stored?.revision);
    const longer = { ...hourly, durationMinutes: 45 };
    const replaced = await putSchedule('s1', parseScheduleRequest(longer, rules), fixture.deps);
    assert.equal(replaced.schedule.durationMinutes, 45);
    assert.equal(replaced.schedule.runs.length, 1);
  });
});
