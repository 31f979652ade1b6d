import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import { ConcurrencyError } from '../../src/core/errors';
import { RolloutNotFoundError } from '../../src/rollouts/rolloutErrors';
import { TableRolloutStore } from '../../src/storage/TableRolloutStore';
import { toRolloutTruthEntity } from '../../src/storage/rolloutEntity';
import { followRolloutMarker } from '../../src/storage/rolloutMarkers';
import { ensureRolloutMarker } from '../../src/storage/rolloutProjections';
import { ManualClock } from '../jobs/support/inMemoryStores';
import { makeRollout, waveWithChunks } from './rolloutFixtures';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

describe('TableRolloutStore repairs', () => {
  const clients = useAzuriteStorage();
  const graceMs = 60_000;
  const fresh = async () => {
    const prefix = uniquePrefix();
    const rollouts = await clients().table(`${prefix}rollouts`);
    const markers = await clients().table(`${prefix}rolloutsactive`);
    const clock = new ManualClock(new Date());
    const store = new TableRolloutStore(
      { rollouts: () => Promise.resolve(rollouts), markers: () => Promise.resolve(markers) },
      { clock, createGraceMs: graceMs },
    );
    return { store, rollouts, markers, clock };
  };
  const markerRows = async (markers: TableClient) => {
    const rows: Record<string, unknown>[] = [];
    for await (const row of markers.listEntities<Record<string, unknown>>()) rows.push(row);
    return rows;
  };
  const markerIds = async (markers: TableClient) =>
    (await markerRows(markers)).map((row) => row.rowKey);

  it('finishes the projection of an update that stopped after writing its truth', async () => {
    const { store, rollouts } = await fresh();
    const created = await store.update({
      ...(await store.create(makeRollout())),
      status: 'running',
    });
    // What an update leaves when its process stops between the truth and the index.
    const ended = { ...created, status: 'completed' as const };
    await rollouts.upsertEntity(toRolloutTruthEntity(ended, 3, 3), 'Replace');
    assert.deepEqual((await store.list({ status: 'completed' }, { pageSize: 10 })).items, []);

    assert.deepEqual(await store.listActive(), []);
    const listed = await store.list({ status: 'completed' }, { pageSize: 10 });
    assert.deepEqual(
      listed.items.map((r) => r.rolloutId),
      [created.rolloutId],
    );
    assert.deepEqual((await store.list({ status: 'running' }, { pageSize: 10 })).items, []);
  });

  it('refuses to bring an ended rollout back, and to update one never stored', async () => {
    const { store } = await fresh();
    const ended = await store.update({ ...(await store.create(makeRollout())), status: 'failed' });
    await assert.rejects(store.update({ ...ended, status: 'running' }), ConcurrencyError);
    assert.equal((await store.get(ended.rolloutId))?.status, 'failed');
    const unknown = { ...ended, rolloutId: 'r-never-stored' };
    await assert.rejects(store.update(unknown), RolloutNotFoundError);
    assert.equal(await store.get('r-never-stored'), undefined);
  });

  it('refuses a rollout row over what an entity holds, with the reason, and stores nothing', async () => {
    const { store, markers } = await fresh();
    const rollout = makeRollout();
    const waves = [waveWithChunks(rollout.rolloutId, 1, 15_000)];
    await assert.rejects(store.create({ ...rollout, waves }), /too large to store/);
    assert.equal(await store.get(rollout.rolloutId), undefined);
    assert.deepEqual(await markerIds(markers), []);
    const created = await store.create(rollout);
    await assert.rejects(store.update({ ...created, waves }), /too large to store/);
    assert.deepEqual(await store.get(rollout.rolloutId), created);
  });

  it('removes a marker a late, older write left behind a terminal rollout', async () => {
    const { store, markers } = await fresh();
    const created = await store.create(makeRollout());
    await store.update({ ...created, status: 'cancelled' });
    await markers.upsertEntity(
      { partitionKey: '_active', rowKey: created.rolloutId, projectedVersion: 1 },
      'Replace',
    );
    assert.deepEqual(await store.listActive(), []);
    assert.deepEqual(await markerIds(markers), []);
  });

  it('leaves the marker of a create under way alone, and drops it after the grace', async () => {
    const { store, markers, clock } = await fresh();
    await markers.createEntity({ partitionKey: '_active', rowKey: 'r-stopped' });
    assert.deepEqual(await store.listActive(), []);
    assert.deepEqual(await markerIds(markers), ['r-stopped']);
    clock.advanceSeconds(graceMs / 1000 + 30);
    assert.deepEqual(await store.listActive(), []);
    assert.deepEqual(await markerIds(markers), []);
  });

  it("keeps a stopped create's marker that a create run again renewed after it was read", async () => {
    const { markers, rollouts } = await fresh();
    const clientsOf = { rollouts, markers };
    await markers.createEntity({ partitionKey: '_active', rowKey: 'r-again' });
    const [stale] = await markerRows(markers);
    assert.ok(stale);
    // The create runs again between listActive's read of the markers and its read of the truth.
    await ensureRolloutMarker(markers, 'r-again', {});
    const staleRow = stale as Parameters<typeof followRolloutMarker>[1];
    assert.equal(await followRolloutMarker(clientsOf, staleRow, true, {}), undefined);
    assert.deepEqual(await markerIds(markers), ['r-again']);
    const [current] = await markerRows(markers);
    await followRolloutMarker(clientsOf, current as typeof staleRow, true, {});
    assert.deepEqual(await markerIds(markers), []);
  });

  it('records the version of a new rollout in its marker on the first listActive', async () => {
    const { store, markers } = await fresh();
    const created = await store.create(makeRollout());
    const [bare] = await markerRows(markers);
    assert.equal(bare?.projectedVersion, undefined);
    assert.deepEqual(await store.listActive(), [created]);
    const [marker] = await markerRows(markers);
    assert.equal(marker?.projectedVersion, 1);
  });

  it('leaves no marker behind a create refused because the rollout exists and ended', async () => {
    const { store, markers } = await fresh();
    const created = await store.create(makeRollout());
    await store.update({ ...created, status: 'failed' });
    await assert.rejects(store.create(makeRollout({ rolloutId: created.rolloutId })));
    assert.deepEqual(await store.listActive(), []);
    assert.deepEqual(await markerIds(markers), []);
  });
});
