import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  IdempotencyKeyReusedError,
  IdempotentRequestInFlightError,
  withIdempotency,
  type StoredResponse,
} from '../../src/core/idempotency';
import { InMemoryIdempotencyStore, ManualClock } from './support/inMemoryStores';

function setup() {
  const idempotencyStore = new InMemoryIdempotencyStore();
  const clock = new ManualClock();
  let runs = 0;
  const handler =
    (status = 201) =>
    () => {
      runs++;
      const response: StoredResponse = {
        status,
        headers: { location: `/api/jobs/${runs}` },
        body: { jobId: String(runs) },
      };
      return Promise.resolve(response);
    };
  return { deps: { idempotencyStore, clock }, idempotencyStore, clock, handler, runs: () => runs };
}

const request = { scope: 'createJob', key: 'key-1', requestHash: 'hash-a' };

describe('withIdempotency', () => {
  it('runs the handler every time when no key is given', async () => {
    const { deps, handler, runs } = setup();
    await withIdempotency({ ...request, key: undefined }, deps, handler());
    await withIdempotency({ ...request, key: undefined }, deps, handler());
    assert.equal(runs(), 2);
  });

  it('replays the first response, status, headers and body, for the same key and request', async () => {
    const { deps, handler, runs } = setup();
    const first = await withIdempotency(request, deps, handler());
    const replay = await withIdempotency(request, deps, handler());
    assert.deepEqual(replay, first);
    assert.equal(runs(), 1);
  });

  it('refuses a different request under the same key', async () => {
    const { deps, handler } = setup();
    await withIdempotency(request, deps, handler());
    await assert.rejects(
      withIdempotency({ ...request, requestHash: 'hash-b' }, deps, handler()),
      IdempotencyKeyReusedError,
    );
  });

  it('refuses a replay while the first request is still running', async () => {
    const { deps, handler } = setup();
    let release!: () => void;
    const slow = withIdempotency(request, deps, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return handler()();
    });
    await assert.rejects(withIdempotency(request, deps, handler()), IdempotentRequestInFlightError);
    release();
    await slow;
  });

  it('keeps keys apart per scope', async () => {
    const { deps, handler, runs } = setup();
    await withIdempotency(request, deps, handler());
    await withIdempotency({ ...request, scope: 'cancelJob' }, deps, handler());
    assert.equal(runs(), 2);
  });

  it('releases the key when the handler throws, so the client can retry', async () => {
    const { deps, handler, runs } = setup();
    await assert.rejects(
      withIdempotency(request, deps, () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    await withIdempotency(request, deps, handler());
    assert.equal(runs(), 1);
  });

  it('does not keep server errors', async () => {
    const { deps, handler, runs } = setup();
    await withIdempotency(request, deps, handler(503));
    const retried = await withIdempotency(request, deps, handler(201));
    assert.equal(retried.status, 201);
    assert.equal(runs(), 2);
  });

  it('forgets a key after 24 hours', async () => {
    const { deps, handler, clock, runs } = setup();
    await withIdempotency(request, deps, handler());
    clock.advanceSeconds(24 * 3600 + 1);
    await withIdempotency({ ...request, requestHash: 'hash-b' }, deps, handler());
    assert.equal(runs(), 2);
  });

  it('frees a key whose first request died in flight once its lease ends', async () => {
    const { deps, handler, clock, idempotencyStore, runs } = setup();
    await idempotencyStore.claim('createJob', 'key-1', {
      requestHash: 'hash-a',
      state: 'inFlight',
      expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    clock.advanceSeconds(61);
    await withIdempotency(request, deps, handler());
    assert.equal(runs(), 1);
  });
});
