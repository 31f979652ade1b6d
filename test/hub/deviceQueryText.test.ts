import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countDevicesQuery, deviceIdsQuery } from '../../src/hub/deviceQueryText';
import { HubCallError } from '../../src/core/hubCallError';

/** A condition of exactly `length` characters. */
function conditionOf(length: number): string {
  const opening = "deviceId != '";
  return `${opening}${'x'.repeat(length - opening.length - 1)}'`;
}

function badRequestOf(build: () => string): HubCallError {
  try {
    build();
  } catch (error) {
    assert.ok(error instanceof HubCallError);
    assert.equal(error.kind, 'badRequest');
    return error;
  }
  throw new Error('expected the query to be refused');
}

describe('deviceIdsQuery', () => {
  it('projects deviceId under the condition, trimmed', () => {
    assert.equal(
      deviceIdsQuery("  tags.ring = 'canary' "),
      "SELECT deviceId FROM devices WHERE tags.ring = 'canary'",
    );
  });

  it('reads every device for the job condition *', () => {
    assert.equal(deviceIdsQuery('*'), 'SELECT deviceId FROM devices');
  });

  it('falls back to SELECT * between the two wrappers and refuses beyond them', () => {
    const projectionRoom = 8192 - 'SELECT deviceId FROM devices WHERE '.length;
    const jobRoom = 8192 - 'SELECT * FROM devices WHERE '.length;
    assert.match(deviceIdsQuery(conditionOf(projectionRoom)), /^SELECT deviceId /);
    assert.match(deviceIdsQuery(conditionOf(projectionRoom + 1)), /^SELECT \* /);
    assert.equal(deviceIdsQuery(conditionOf(jobRoom)).length, 8192);
    const error = badRequestOf(() => deviceIdsQuery(conditionOf(jobRoom + 1)));
    assert.match(error.message, /8165-character query condition is too long to be resolved/);
  });

  it('refuses an empty condition', () => {
    assert.match(badRequestOf(() => deviceIdsQuery('  ')).message, /empty/);
  });
});

describe('countDevicesQuery', () => {
  it('counts under the condition, or every device for *', () => {
    assert.equal(
      countDevicesQuery("tags.ring = 'early'"),
      "SELECT COUNT() AS n FROM devices WHERE tags.ring = 'early'",
    );
    assert.equal(countDevicesQuery('*'), 'SELECT COUNT() AS n FROM devices');
  });

  it('refuses a condition that leaves the count query over 8,192 characters', () => {
    const room = 8192 - 'SELECT COUNT() AS n FROM devices WHERE '.length;
    assert.equal(countDevicesQuery(conditionOf(room)).length, 8192);
    assert.match(badRequestOf(() => countDevicesQuery(conditionOf(room + 1))).message, /counted/);
  });
});
