import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueMessageKinds } from '../../src/queueContract';
import { workHandlers, type WorkHandlers } from '../../src/functions/workHandlers';

describe('workHandlers', () => {
  it('has one handler for each kind of the queue contract, and no other', () => {
    assert.deepEqual(Object.keys(workHandlers).sort(), [...queueMessageKinds].sort());
  });

  it('requires a handler for every kind (checked by tsc: npm run typecheck)', () => {
    // Were any kind's handler optional, an empty record would fit and this would not compile.
    type EveryKindRequired = Record<never, never> extends WorkHandlers ? false : true;
    const required: EveryKindRequired = true;
    assert.equal(required, true);
  });
});
