import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDueWindows } from '../../src/schedules/openDueWindows';
import { formatInZone } from '../../src/schedules/zonedTime';
import { rebootTemplate, scheduleFixture, type ScheduleFixture } from './support/scheduleFixture';

const berlin = 'Europe/Berlin';

/** Ticks every `everyMinutes` from the clock's now to `untilIso`, ending each rollout at once. */
async function tickUntil(fixture: ScheduleFixture, untilIso: string, everyMinutes: number) {
  const until = Date.parse(untilIso);
  while (fixture.clock.now().getTime() + everyMinutes * 60_000 <= until) {
    fixture.clock.advanceSeconds(everyMinutes * 60);
    await openDueWindows(fixture.deps);
    endEveryRollout(fixture);
  }
}

function endEveryRollout(fixture: ScheduleFixture): void {
  for (const rollout of fixture.rollouts.rows.values()) rollout.status = 'completed';
}

function rolloutsByOpening(fixture: ScheduleFixture, zone = berlin) {
  const schedule = [...fixture.schedules.rows.values()][0];
  return (schedule?.runs ?? [])
    .filter((run) => run.outcome === 'opened')
    .map((run) => ({
      opensAt: formatInZone(Date.parse(run.opensAt), zone),
      closesAt: formatInZone(Date.parse(run.closesAt), zone),
      rollout: fixture.rollouts.rows.get(run.rolloutId),
    }));
}

describe('openWindows', () => {
  it('opens a nightly 01:00-04:00 Berlin window once a night over 10 days across the spring switch, none on a blackout date', async () => {
    const fixture = scheduleFixture('2030-03-25T12:00:00Z');
    await fixture.put('nightly', {
      cron: '0 1 * * *',
      timeZone: berlin,
      durationMinutes: 180,
      blackoutDates: ['2030-03-30'],
      rollout: rebootTemplate,
    });
    await tickUntil(fixture, '2030-04-04T12:00:00Z', 10);
    const opened = rolloutsByOpening(fixture);
    assert.deepEqual(
      opened.map((o) => o.opensAt),
      [
        '2030-03-26T01:00:00+01:00',
        '2030-03-27T01:00:00+01:00',
        '2030-03-28T01:00:00+01:00',
        '2030-03-29T01:00:00+01:00',
        '2030-03-31T01:00:00+01:00',
        '2030-04-01T01:00:00+02:00',
        '2030-04-02T01:00:00+02:00',
        '2030-04-03T01:00:00+02:00',
        '2030-04-04T01:00:00+02:00',
      ],
    );
    // The duration is elapsed time: on the switch night the window closes at 05:00 local.
    assert.equal(opened[4]?.closesAt, '2030-03-31T05:00:00+02:00');
    assert.equal(fixture.rollouts.rows.size, 9);
    const runs = [...fixture.schedules.rows.values()][0]?.runs ?? [];
    assert.deepEqual(
      runs.filter((run) => run.outcome === 'skipped').map((run) => [run.opensAt, run.reason]),
      [['2030-03-30T00:00:00.000Z', 'blackout']],
    );
    for (const { rollout } of opened) {
      assert.equal(rollout?.spec.window?.scheduleId, 'nightly');
      assert.equal(rollout?.spec.window?.endBehavior, 'stopLaunching');
    }
  });

  for (const [night, expected] of [
    ['spring-forward', '2030-03-31T03:00:00+02:00'],
    ['fall-back', '2030-10-27T02:30:00+02:00'],
  ] as const) {
    it(`opens a 02:30 window once on the ${night} night, at ${expected}`, async () => {
      const day = expected.slice(0, 10);
      const fixture = scheduleFixture(`${day.slice(0, 8)}${Number(day.slice(8)) - 1}T12:00:00Z`);
      await fixture.put('half-past-two', {
        cron: '30 2 * * *',
        timeZone: berlin,
        durationMinutes: 60,
        rollout: rebootTemplate,
      });
      await tickUntil(fixture, `${day}T06:00:00Z`, 5);
      assert.deepEqual(
        rolloutsByOpening(fixture).map((o) => o.opensAt),
        [expected],
      );
      assert.equal(fixture.rollouts.rows.size, 1);
    });
  }

  it('opens an interval pattern once per local time across both switches', async () => {
    const fixture = scheduleFixture('2030-03-30T12:00:00Z');
    await fixture.put('half-hourly', {
      cron: '*/30 1-3 * * *',
      timeZone: berlin,
      durationMinutes: 10,
      rollout: rebootTemplate,
    });
    await tickUntil(fixture, '2030-03-31T03:00:00Z', 5);
    assert.deepEqual(
      rolloutsByOpening(fixture).map((o) => o.opensAt),
      [
        '2030-03-31T01:00:00+01:00',
        '2030-03-31T01:30:00+01:00',
        '2030-03-31T03:00:00+02:00',
        '2030-03-31T03:30:00+02:00',
      ],
    );
    fixture.setNow('2030-10-26T12:00:00Z');
    const before = rolloutsByOpening(fixture).length;
    await openDueWindows(fixture.deps);
    await tickUntil(fixture, '2030-10-27T04:00:00Z', 5);
    assert.deepEqual(
      rolloutsByOpening(fixture)
        .slice(before)
        .map((o) => o.opensAt),
      [
        '2030-10-27T01:00:00+02:00',
        '2030-10-27T01:30:00+02:00',
        '2030-10-27T02:00:00+02:00',
        '2030-10-27T02:30:00+02:00',
        '2030-10-27T03:00:00+01:00',
        '2030-10-27T03:30:00+01:00',
      ],
    );
  });
});
