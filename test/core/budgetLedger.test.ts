import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  nextRoomAt,
  remaining,
  usedInMinuteTo,
  windowAt,
  withGrant,
  type LedgerEntry,
} from '../../src/core/budgetLedger';

const entry = (startS: number, endS: number, granted: number): LedgerEntry => ({
  startMs: startS * 1000,
  endMs: endS * 1000,
  granted,
});

describe('the budget ledger', () => {
  it('cuts time into windows counted from the epoch', () => {
    assert.deepEqual(windowAt(12_345, 5000), { startMs: 10_000, endMs: 15_000 });
  });

  it('books grants in their window and drops windows that no longer count', () => {
    const ledger = withGrant([entry(0, 5, 2), entry(60, 65, 1)], windowAt(65_000, 5000), 3);
    assert.deepEqual(ledger, [entry(60, 65, 1), entry(65, 70, 3)]);
    assert.deepEqual(withGrant(ledger, windowAt(66_000, 5000), 1), [
      entry(60, 65, 1),
      entry(65, 70, 4),
    ]);
  });

  it('counts windows of another length, and later ones, against a grant', () => {
    const ledger = [entry(0, 10, 3), entry(70, 75, 2)];
    assert.equal(remaining(ledger, windowAt(65_000, 5000), 10), 5);
    assert.equal(remaining(ledger, windowAt(70_000, 5000), 10), 8);
  });

  it('finds the window in which enough room frees, or none above the limit', () => {
    const ledger = [entry(0, 5, 4), entry(20, 25, 4)];
    const now = windowAt(30_000, 5000);
    assert.equal(nextRoomAt(ledger, now, 10, 2), now.startMs);
    assert.equal(nextRoomAt(ledger, now, 10, 5), 65_000);
    assert.equal(nextRoomAt(ledger, now, 10, 9), 85_000);
    assert.equal(nextRoomAt(ledger, now, 10, 11), undefined);
  });

  it('reports the calls granted in windows overlapping the last minute', () => {
    const ledger = [entry(0, 5, 4), entry(20, 25, 1), entry(60, 65, 2)];
    assert.equal(usedInMinuteTo(ledger, 62_000), 7);
    assert.equal(usedInMinuteTo(ledger, 65_000), 3);
  });
});
