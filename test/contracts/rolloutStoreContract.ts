import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidContinuationTokenError } from '../../src/core/continuationToken';
import { ConcurrencyError } from '../../src/core/errors';
import type { RolloutListFilter, RolloutStore } from '../../src/rollouts/ports';
import type { StoredRollout } from '../../src/rollouts/rollout';
import { RolloutExistsError } from '../../src/rollouts/rolloutErrors';
import { createdAtSeconds } from '../storage/storageFixtures';
import { makeRollout, waveWithChunks } from '../storage/rolloutFixtures';

/** A fresh, empty store. */
export type MakeRolloutStore = () => Promise<RolloutStore>;

const ids = (rollouts: readonly StoredRollout[]) => rollouts.map((r) => r.rolloutId);

async function listAll(store: RolloutStore, filter: RolloutListFilter, pageSize: number) {
  const all: StoredRollout[] = [];
  let token: string | undefined;
  do {
    const page = await store.list(filter, { pageSize, continuationToken: token });
    assert.ok(page.items.length <= pageSize);
    all.push(...page.items);
    token = page.continuationToken;
  } while (token !== undefined);
  return all;
}

/** What every RolloutStore promises the use cases, run against each implementation. */
export function describeRolloutStoreContract(name: string, makeStore: MakeRolloutStore): void {
  describe(`RolloutStore contract: ${name}`, () => {
    it('finds a rollout by id once created, and nothing for an unknown or malformed id', async () => {
      const store = await makeStore();
      const created = await store.create(makeRollout());
      assert.deepEqual(await store.get(created.rolloutId), created);
      assert.equal(await store.get('no-such-rollout'), undefined);
      assert.equal(await store.get('../bad'), undefined);
    });

    it('refuses a taken id with RolloutExistsError and keeps the first', async () => {
      const store = await makeStore();
      const first = await store.create(makeRollout());
      const again = makeRollout({ rolloutId: first.rolloutId, requestHash: 'other' });
      await assert.rejects(store.create(again), RolloutExistsError);
      assert.equal((await store.get(first.rolloutId))?.requestHash, 'hash-1');
    });

    it('updates over the current revision and refuses a stale or made-up one', async () => {
      const store = await makeStore();
      const created = await store.create(makeRollout());
      const running = await store.update({ ...created, status: 'running' });
      assert.notEqual(running.revision, created.revision);
      assert.deepEqual(await store.get(created.rolloutId), running);
      await assert.rejects(store.update({ ...created, statusMessage: 'late' }), ConcurrencyError);
      await assert.rejects(store.update({ ...running, revision: 'made-up' }), ConcurrencyError);
      const noted = await store.update({ ...running, statusMessage: 'wave 1' });
      assert.deepEqual(await store.get(created.rolloutId), noted);
    });

    it('lets exactly one of two concurrent updates from the same revision win', async () => {
      const store = await makeStore();
      const created = await store.create(makeRollout());
      const results = await Promise.allSettled([
        store.update({ ...created, statusMessage: 'first' }),
        store.update({ ...created, statusMessage: 'second' }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.ok(lost[0]?.reason instanceof ConcurrencyError);
      assert.deepEqual(await store.get(created.rolloutId), won[0]?.value);
    });

    it('keeps a large rollout whole: 2,000 chunk job ids over its waves', async () => {
      const store = await makeStore();
      const rollout = makeRollout();
      const waves = [1, 2].map((index) => waveWithChunks(rollout.rolloutId, index, 1000));
      const created = await store.create({ ...rollout, waves });
      assert.deepEqual((await store.get(rollout.rolloutId))?.waves, waves);
      const grown = [...waves, waveWithChunks(rollout.rolloutId, 3, 500)];
      const updated = await store.update({ ...created, waves: grown });
      assert.deepEqual(await store.get(rollout.rolloutId), updated);
    });

    it('lists newest first, filters by status and createdAfter, and pages', async () => {
      const store = await makeStore();
      const times = createdAtSeconds(5);
      const stored: StoredRollout[] = [];
      for (const [index, createdAt] of times.entries()) {
        const created = await store.create(makeRollout({ createdAt }));
        stored.push(
          index % 2 === 0 ? await store.update({ ...created, status: 'running' }) : created,
        );
      }
      const newestFirst = ids(stored).reverse();
      assert.deepEqual(ids(await listAll(store, {}, 2)), newestFirst);
      const running = await listAll(store, { status: 'running' }, 10);
      assert.deepEqual(ids(running), [newestFirst[0], newestFirst[2], newestFirst[4]]);
      assert.deepEqual(running[0], stored[4]);
      const recent = await listAll(store, { createdAfter: times[2] }, 10);
      assert.deepEqual(ids(recent), newestFirst.slice(0, 2));
    });

    it('refuses a continuation token issued for another filter, or made up', async () => {
      const store = await makeStore();
      for (const createdAt of createdAtSeconds(3)) await store.create(makeRollout({ createdAt }));
      const first = await store.list({}, { pageSize: 1 });
      assert.ok(first.continuationToken !== undefined);
      await assert.rejects(
        store.list(
          { status: 'accepted' },
          { pageSize: 1, continuationToken: first.continuationToken },
        ),
        InvalidContinuationTokenError,
      );
      await assert.rejects(
        store.list({}, { pageSize: 1, continuationToken: 'not-a-token' }),
        InvalidContinuationTokenError,
      );
    });

    it('lists active rollouts oldest first, until each is written terminal', async () => {
      const store = await makeStore();
      const [older, newer] = createdAtSeconds(2);
      const second = await store.create(makeRollout({ createdAt: newer }));
      let first = await store.create(makeRollout({ createdAt: older }));
      assert.deepEqual(ids(await store.listActive()), [first.rolloutId, second.rolloutId]);
      first = await store.update({ ...first, status: 'running' });
      assert.deepEqual(ids(await store.listActive()), [first.rolloutId, second.rolloutId]);
      const [listed] = await store.listActive();
      assert.deepEqual(listed, first);
      first = await store.update({ ...first, status: 'completed' });
      await store.update({ ...second, status: 'cancelled' });
      assert.deepEqual(await store.listActive(), []);
      const completed = await store.list({ status: 'completed' }, { pageSize: 10 });
      assert.deepEqual(completed.items, [first]);
    });

    it('never lists a rollout written terminal at create among the active ones', async () => {
      const store = await makeStore();
      const failed = await store.create(makeRollout({ status: 'failed' }));
      assert.deepEqual(await store.listActive(), []);
      assert.deepEqual(ids((await store.list({}, { pageSize: 10 })).items), [failed.rolloutId]);
    });
  });
}
