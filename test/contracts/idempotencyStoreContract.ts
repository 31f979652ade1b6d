import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdempotencyRecord, IdempotencyStore } from '../../src/core/idempotencyStore';
import { ManualClock } from '../jobs/support/inMemoryStores';

/** A fresh store that tells expired records by `clock`. */
export type MakeIdempotencyStore = (clock: ManualClock) => Promise<IdempotencyStore>;

const scope = 'POST /jobs';

/** What every IdempotencyStore promises the HTTP edge, run against each implementation. */
export function describeIdempotencyStoreContract(
  name: string,
  makeStore: MakeIdempotencyStore,
): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    const fresh = async () => {
      const clock = new ManualClock();
      const inAnHour = new Date(clock.now().getTime() + 3600_000).toISOString();
      const inFlight = (requestHash: string): IdempotencyRecord => ({
        requestHash,
        state: 'inFlight',
        expiresAt: inAnHour,
      });
      return { store: await makeStore(clock), clock, inFlight };
    };

    it('lets the first claim win and shows later claims the record in flight', async () => {
      const { store, inFlight } = await fresh();
      assert.equal(await store.claim(scope, 'k1', inFlight('h1')), undefined);
      assert.deepEqual(await store.claim(scope, 'k1', inFlight('h2')), inFlight('h1'));
      assert.equal(await store.claim('PUT /jobs', 'k1', inFlight('h3')), undefined, 'per scope');
    });

    it('lets exactly one of several simultaneous claims win', async () => {
      const { store, inFlight } = await fresh();
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.claim(scope, 'race', inFlight(`h${i}`))),
      );
      assert.equal(answers.filter((answer) => answer === undefined).length, 1);
    });

    it('replays the completed response to later claims', async () => {
      const { store, inFlight } = await fresh();
      await store.claim(scope, 'k2', inFlight('h1'));
      const done: IdempotencyRecord = {
        ...inFlight('h1'),
        state: 'done',
        response: { status: 202, headers: { location: '/api/jobs/j1' }, body: { jobId: 'j1' } },
      };
      await store.complete(scope, 'k2', done);
      assert.deepEqual(await store.claim(scope, 'k2', inFlight('h1')), done);
    });

    it('frees a released key, and releasing an unknown key is harmless', async () => {
      const { store, inFlight } = await fresh();
      await store.claim(scope, 'k3', inFlight('h1'));
      await store.release(scope, 'k3');
      await store.release(scope, 'never-claimed');
      assert.equal(await store.claim(scope, 'k3', inFlight('h2')), undefined);
      assert.deepEqual(await store.claim(scope, 'k3', inFlight('h3')), inFlight('h2'));
    });

    it('lets a new claim win a key whose record has expired', async () => {
      const { store, clock, inFlight } = await fresh();
      await store.claim(scope, 'k4', inFlight('h1'));
      clock.advanceSeconds(3601);
      const later = {
        ...inFlight('h2'),
        expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
      };
      assert.equal(await store.claim(scope, 'k4', later), undefined);
      assert.deepEqual(await store.claim(scope, 'k4', inFlight('h3')), later);
    });
  });
}
