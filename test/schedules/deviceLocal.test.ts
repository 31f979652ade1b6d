import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDueWindows } from '../../src/schedules/openDueWindows';
import { scheduleNextOpenings } from '../../src/schedules/scheduleQueries';
import { formatInZone } from '../../src/schedules/zonedTime';
import { rebootTemplate, scheduleFixture, type ScheduleFixture } from './support/scheduleFixture';

const fleetZones = [
  { value: 'Europe/Berlin', count: 40 },
  { value: 'America/New_York', count: 30 },
  // Node's Intl calls this zone Asia/Calcutta: the query must use the hub's spelling.
  { value: 'Asia/Kolkata', count: 20 },
  { value: undefined, count: 7 },
  { value: 'Mars/Olympus', count: 2 },
];

async function deviceLocalFixture(): Promise<ScheduleFixture> {
  const fixture = scheduleFixture('2030-01-01T12:00:00Z');
  fixture.zoneFleet.zones = fleetZones;
  await fixture.put('local', {
    cron: '0 1 * * *',
    timeZone: { tag: 'timeZone' },
    durationMinutes: 120,
    rollout: rebootTemplate,
  });
  return fixture;
}

describe('a device-local schedule', () => {
  it("opens one rollout per zone, each at 01:00 in that zone, each targeting only its zone's devices", async () => {
    const fixture = await deviceLocalFixture();
    for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
      fixture.clock.advanceSeconds(15 * 60);
      await openDueWindows(fixture.deps);
    }
    const schedule = await fixture.schedules.get('local');
    const opened = schedule?.runs.filter((run) => run.outcome === 'opened') ?? [];
    assert.deepEqual(
      opened.map((run) => [run.zone, formatInZone(Date.parse(run.opensAt), run.zone)]),
      [
        ['Asia/Kolkata', '2030-01-02T01:00:00+05:30'],
        ['Europe/Berlin', '2030-01-02T01:00:00+01:00'],
        ['America/New_York', '2030-01-02T01:00:00-05:00'],
      ],
    );
    const conditions = opened.map((run) => {
      const targets = fixture.rollouts.rows.get(run.rolloutId)?.spec.targets;
      return targets?.kind === 'queryCondition' ? targets.queryCondition : undefined;
    });
    assert.deepEqual(conditions, [
      "(tags.site = 'berlin') AND tags.timeZone = 'Asia/Kolkata'",
      "(tags.site = 'berlin') AND tags.timeZone = 'Europe/Berlin'",
      "(tags.site = 'berlin') AND tags.timeZone = 'America/New_York'",
    ]);
    assert.equal(new Set(opened.map((run) => run.rolloutId)).size, 3);
    assert.deepEqual(opened[0]?.unzoned, {
      missing: 7,
      invalid: [{ value: 'Mars/Olympus', count: 2 }],
    });
  });

  it('counts the zones with one GROUP BY query a day (UTC), over the template targets', async () => {
    const fixture = await deviceLocalFixture();
    for (let hours = 0; hours < 30; hours++) {
      fixture.clock.advanceSeconds(3600);
      await openDueWindows(fixture.deps);
    }
    assert.deepEqual(fixture.zoneFleet.groupQueries, [
      { queryCondition: "tags.site = 'berlin'", path: 'tags.timeZone' },
      { queryCondition: "tags.site = 'berlin'", path: 'tags.timeZone' },
    ]);
  });

  it('counts the devices without a zone tag apart when the GROUP BY leaves them out', async () => {
    const fixture = await deviceLocalFixture();
    fixture.zoneFleet.zones = fleetZones.filter((entry) => entry.value !== undefined);
    fixture.zoneFleet.count = 5;
    fixture.setNow('2030-01-02T00:05:00Z');
    await openDueWindows(fixture.deps);
    assert.deepEqual(fixture.zoneFleet.countQueries, [
      "(tags.site = 'berlin') AND NOT IS_DEFINED(tags.timeZone)",
    ]);
    const runs = (await fixture.schedules.get('local'))?.runs ?? [];
    const run = runs.find((r) => r.outcome === 'opened');
    assert.equal(run?.zone, 'Europe/Berlin');
    assert.equal(run?.unzoned?.missing, 5);
  });

  it('answers the next 5 openings per zone', async () => {
    const fixture = await deviceLocalFixture();
    const schedule = await fixture.schedules.get('local');
    assert.ok(schedule !== undefined);
    const openings = await scheduleNextOpenings(schedule, fixture.deps);
    assert.equal(openings.length, 15);
    assert.deepEqual(
      openings.filter((o) => o.zone === 'Asia/Kolkata').map((o) => o.opensAt),
      ['02', '03', '04', '05', '06'].map((day) => `2030-01-${day}T01:00:00+05:30`),
    );
  });
});
