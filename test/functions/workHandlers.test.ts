import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workMessageKinds } from '../../src/core/workMessage';
import { workHandlers, type WorkHandlers } from '../../src/functions/workHandlers';

describe('workHandlers', () => {
  it('has one handler for each kind of the queue contract, and no other', () => {
    assert.deepEqual(Object.keys(workHandlers).sort(), [...workMessageKinds].sort());
  });

  it('does not compile without a handler for every kind', () => {
    // @ts-expect-error -- submitJob has no handler here: tsc must refuse it.
    const incomplete: WorkHandlers = {};
    assert.deepEqual(Object.keys(incomplete), []);
  });
});
