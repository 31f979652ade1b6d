import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors';
import { parseScheduleRequest } from '../../src/schedules/scheduleRequestSchema';
import { rebootTemplate } from './support/scheduleFixture';

const rules = { isReservedContainer: (name: string) => name.startsWith('azure-webjobs-') };
const valid = {
  cron: '0 1 * * *',
  timeZone: 'Europe/Berlin',
  durationMinutes: 180,
  rollout: rebootTemplate,
};

function fieldsRefused(body: unknown): string[] {
  try {
    parseScheduleRequest(body, rules);
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.field);
    throw error;
  }
  return [];
}

describe('parseScheduleRequest', () => {
  it('takes a schedule, with defaults, its zone stored canonical and its blackout dates sorted once', () => {
    const parsed = parseScheduleRequest(
      {
        ...valid,
        timeZone: 'europe/berlin',
        blackoutDates: ['2026-12-31', '2026-12-24', '2026-12-31'],
      },
      rules,
    );
    assert.equal(parsed.timeZone, 'Europe/Berlin');
    assert.deepEqual(parsed.blackoutDates, ['2026-12-24', '2026-12-31']);
    assert.equal(parsed.endBehavior, 'stopLaunching');
    assert.equal(parsed.enabled, true);
  });

  for (const [what, body, field] of [
    ['a cron with 6 fields', { ...valid, cron: '0 0 1 * * *' }, 'cron'],
    ['a cron out of range', { ...valid, cron: '61 1 * * *' }, 'cron'],
    ['an unknown zone', { ...valid, timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['a zone that is neither name nor tag', { ...valid, timeZone: 7 }, 'timeZone'],
    ['a zone tag that is no twin key', { ...valid, timeZone: { tag: 'a.b' } }, 'timeZone.tag'],
    ['a zero duration', { ...valid, durationMinutes: 0 }, 'durationMinutes'],
    ['a fractional duration', { ...valid, durationMinutes: 1.5 }, 'durationMinutes'],
    ['an impossible blackout date', { ...valid, blackoutDates: ['2026-02-30'] }, 'blackoutDates.0'],
    ['an unknown end behaviour', { ...valid, endBehavior: 'abort' }, 'endBehavior'],
    [
      'a template with startTime',
      { ...valid, rollout: { ...rebootTemplate, startTime: '2026-01-01T00:00:00Z' } },
      'rollout.startTime',
    ],
    [
      'a template without an operation',
      { ...valid, rollout: { targets: rebootTemplate.targets } },
      'rollout.operation',
    ],
    [
      'a template naming a reserved container',
      {
        ...valid,
        rollout: { ...rebootTemplate, targets: { deviceIdsBlob: 'azure-webjobs-hosts/x.txt' } },
      },
      'rollout.targets.deviceIdsBlob',
    ],
    [
      'device ids with a device-local zone',
      {
        ...valid,
        timeZone: { tag: 'timeZone' },
        rollout: { ...rebootTemplate, targets: { deviceIds: ['a'] } },
      },
      'rollout.targets',
    ],
    ['an unknown field', { ...valid, every: 'night' }, 'every'],
  ] as const) {
    it(`refuses ${what}, naming ${field}`, () => {
      assert.deepEqual(fieldsRefused(body), [field]);
    });
  }

  it('refuses a template too large to keep, pointing to a blob', () => {
    const deviceIds = Array.from(
      { length: 20_000 },
      (_, i) => `meter-${String(i).padStart(8, '0')}`,
    );
    assert.throws(
      () =>
        parseScheduleRequest(
          { ...valid, rollout: { ...rebootTemplate, targets: { deviceIds } } },
          rules,
        ),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.errors.length === 1 &&
        error.errors[0]?.field === 'rollout' &&
        /deviceIdsBlob/.test(error.errors[0].message),
    );
  });

  it('refuses a body that is not an object', () => {
    assert.deepEqual(fieldsRefused([]), ['body', 'rollout']);
  });
});
