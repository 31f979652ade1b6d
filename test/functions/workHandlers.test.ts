import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueMessageKinds } from '../../src/queueContract';
import {
  rolloutIdOfMessage,
  workHandlers,
  type WorkHandlers,
} from '../../src/functions/workHandlers';
import { rolloutIdPattern } from '../../src/core/jobId';

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

  it("derives a producer's rollout id from its message id: the same for a redelivery, a legal id", () => {
    const messageId = '7b2e0c51-2f7e-4d2a-9a55-0c3b6d1f9e42';
    assert.equal(rolloutIdOfMessage(messageId), `q-${messageId}`);
    assert.equal(rolloutIdOfMessage(messageId), rolloutIdOfMessage(messageId));
    assert.match(rolloutIdOfMessage(messageId), rolloutIdPattern);
    assert.match(rolloutIdOfMessage('id with spaces/and+more'), rolloutIdPattern);
  });
});
