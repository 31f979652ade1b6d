import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextOpeningsIn } from '../../src/schedules/nextOpenings';
import { openingsAfter, openingsUpTo } from '../../src/schedules/openings';
import type { Schedule } from '../../src/schedules/schedule';
import { formatInZone, instantOfWallTime } from '../../src/schedules/zonedTime';

const berlin = 'Europe/Berlin';
const local = (openings: { opensAtMs: number }[], zone = berlin) =>
  openings.map((o) => formatInZone(o.opensAtMs, zone));

function schedule(overrides: Partial<Schedule>): Schedule {
  return {
    scheduleId: 's',
    cron: '0 1 * * *',
    timeZone: berlin,
    durationMinutes: 180,
    blackoutDates: [],
    rollout: {},
    endBehavior: 'stopLaunching',
    enabled: true,
    definitionHash: '',
    createdAt: '2030-01-01T00:00:00Z',
    updatedAt: '2030-01-01T00:00:00Z',
    runs: [],
    ...overrides,
  };
}

describe('window openings', () => {
  it('places a time in the spring-forward gap at the first valid instant after it', () => {
    assert.equal(
      new Date(instantOfWallTime(Date.parse('2030-03-31T02:30:00Z'), berlin)).toISOString(),
      '2030-03-31T01:00:00.000Z',
    );
  });

  it('places a repeated fall-back time at its first occurrence', () => {
    assert.equal(
      new Date(instantOfWallTime(Date.parse('2030-10-27T02:30:00Z'), berlin)).toISOString(),
      '2030-10-27T00:30:00.000Z',
    );
  });

  it('opens an interval pattern at each local time once across the spring switch, the gap at its end', () => {
    const openings = openingsAfter(
      '*/30 1-3 * * *',
      berlin,
      60_000,
      Date.parse('2030-03-30T22:00:00Z'),
      4,
    );
    assert.deepEqual(local(openings), [
      '2030-03-31T01:00:00+01:00',
      '2030-03-31T01:30:00+01:00',
      '2030-03-31T03:00:00+02:00',
      '2030-03-31T03:30:00+02:00',
    ]);
  });

  it('opens an interval pattern at each local time once across the fall-back switch, not again in the repeated hour', () => {
    const openings = openingsAfter(
      '*/30 1-3 * * *',
      berlin,
      60_000,
      Date.parse('2030-10-26T22:00:00Z'),
      6,
    );
    assert.deepEqual(local(openings), [
      '2030-10-27T01:00:00+02:00',
      '2030-10-27T01:30:00+02:00',
      '2030-10-27T02:00:00+02:00',
      '2030-10-27T02:30:00+02:00',
      '2030-10-27T03:00:00+01:00',
      '2030-10-27T03:30:00+01:00',
    ]);
  });

  it('walks back to the latest openings the same way', () => {
    const openings = openingsUpTo(
      '* * * * *',
      berlin,
      60_000,
      Date.parse('2030-10-27T02:00:30Z'),
      3,
    );
    assert.deepEqual(local(openings), [
      '2030-10-27T02:58:00+02:00',
      '2030-10-27T02:59:00+02:00',
      '2030-10-27T03:00:00+01:00',
    ]);
  });

  it('answers nextOpenings across a switch with the zone offset of each instant and elapsed durations', () => {
    const openings = nextOpeningsIn(schedule({}), berlin, Date.parse('2030-03-29T12:00:00Z'));
    assert.deepEqual(openings, [
      { opensAt: '2030-03-30T01:00:00+01:00', closesAt: '2030-03-30T04:00:00+01:00' },
      { opensAt: '2030-03-31T01:00:00+01:00', closesAt: '2030-03-31T05:00:00+02:00' },
      { opensAt: '2030-04-01T01:00:00+02:00', closesAt: '2030-04-01T04:00:00+02:00' },
      { opensAt: '2030-04-02T01:00:00+02:00', closesAt: '2030-04-02T04:00:00+02:00' },
      { opensAt: '2030-04-03T01:00:00+02:00', closesAt: '2030-04-03T04:00:00+02:00' },
    ]);
  });

  it('leaves blackout dates out of nextOpenings', () => {
    const blackout = schedule({ blackoutDates: ['2030-04-01', '2030-04-02'] });
    const openings = nextOpeningsIn(blackout, berlin, Date.parse('2030-03-31T12:00:00Z'), 2);
    assert.deepEqual(
      openings.map((o) => o.opensAt),
      ['2030-04-03T01:00:00+02:00', '2030-04-04T01:00:00+02:00'],
    );
  });
});
