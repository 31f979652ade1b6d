import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdempotencyRecord } from '../../src/core/idempotencyStore';
import { TableIdempotencyStore } from '../../src/storage/TableIdempotencyStore';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

const start = Date.parse('2030-01-01T00:00:00.000Z');
const inFlight = (
  requestHash: string,
  expiresAt = new Date(start + 86_400_000),
): IdempotencyRecord => ({
  requestHash,
  state: 'inFlight',
  expiresAt: expiresAt.toISOString(),
});

describe('TableIdempotencyStore', () => {
  const clients = useAzuriteStorage();
  let nowMs = start;
  const newStore = (): TableIdempotencyStore => {
    const name = `${uniquePrefix()}idempotency`;
    return new TableIdempotencyStore(() => clients().table(name), { now: () => new Date(nowMs) });
  };

  it('lets the first caller claim a key and shows later callers the in-flight record', async () => {
    const store = newStore();
    assert.equal(await store.claim('POST /jobs', 'key-1', inFlight('h1')), undefined);
    assert.deepEqual(await store.claim('POST /jobs', 'key-1', inFlight('h2')), inFlight('h1'));
  });

  it('lets exactly one of many simultaneous callers win a key', async () => {
    const store = newStore();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.claim('POST /jobs', 'race', inFlight(`h${i}`))),
    );
    assert.equal(answers.filter((answer) => answer === undefined).length, 1);
  });

  it('replays the completed response, payload and all', async () => {
    const store = newStore();
    await store.claim('POST /jobs', 'key-2', inFlight('h1'));
    const body = { jobId: 'j1', spec: { payload: 'p'.repeat(100_000) } };
    const done: IdempotencyRecord = {
      ...inFlight('h1'),
      state: 'done',
      response: { status: 201, headers: { location: '/api/jobs/j1' }, body },
    };
    await store.complete('POST /jobs', 'key-2', done);
    assert.deepEqual(await store.claim('POST /jobs', 'key-2', inFlight('h1')), done);
  });

  it('scopes keys per route', async () => {
    const store = newStore();
    await store.claim('POST /jobs', 'same', inFlight('h1'));
    assert.equal(await store.claim('POST /jobs/{jobId}/cancel', 'same', inFlight('h2')), undefined);
  });

  it('frees a released key for the next caller', async () => {
    const store = newStore();
    await store.claim('POST /jobs', 'key-3', inFlight('h1'));
    await store.release('POST /jobs', 'key-3');
    await store.release('POST /jobs', 'key-3');
    assert.equal(await store.claim('POST /jobs', 'key-3', inFlight('h2')), undefined);
  });

  it('replaces an expired record instead of replaying it', async () => {
    const store = newStore();
    await store.claim('POST /jobs', 'key-4', inFlight('h1', new Date(start + 1000)));
    nowMs = start + 2000;
    try {
      assert.equal(await store.claim('POST /jobs', 'key-4', inFlight('h2')), undefined);
      assert.deepEqual(await store.claim('POST /jobs', 'key-4', inFlight('h3')), inFlight('h2'));
    } finally {
      nowMs = start;
    }
  });

  it('accepts keys with any characters, however long', async () => {
    const store = newStore();
    const key = `a/b\\c#d?e'f ${'k'.repeat(600)}`;
    assert.equal(await store.claim('POST /jobs', key, inFlight('h1')), undefined);
    assert.deepEqual(await store.claim('POST /jobs', key, inFlight('h2')), inFlight('h1'));
  });
});
