import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJob } from '../../src/jobs/createJob';
import type { DeviceOutcome, DeviceResult, StoredJob } from '../../src/jobs/job';
import { importDeviceResults } from '../../src/jobs/importDeviceResults';
import { updateJobGuarded } from '../../src/jobs/updateJobGuarded';
import { chunkJobId } from '../../src/rollouts/rollout';
import { methodJobSpec } from '../jobs/support/useCaseFixture';
import { deviceIds, rolloutFixture, type RolloutFixture } from './support/rolloutFixture';

const rolloutId = 'fw-2030';
const failedOutcomes: ReadonlySet<DeviceOutcome> = new Set(['failed', 'offline', 'timedOut']);

function resultsOf(jobId: string, devices: string[], outcomeOf: (i: number) => DeviceOutcome) {
  return devices.map((deviceId, i): DeviceResult => {
    const outcome = outcomeOf(i);
    const failed = failedOutcomes.has(outcome);
    return {
      jobId,
      deviceId,
      status: failed ? 'failed' : 'completed',
      outcome,
      ...(failed
        ? { error: { code: '404103', description: 'Device is offline' } }
        : { methodResponse: { status: 200, payload: { jobId } } }),
    };
  });
}

/** A chunk job at the hub, ended, with these results. */
async function endedChunk(
  fixture: RolloutFixture,
  jobId: string,
  results: DeviceResult[],
  rollout: string | null = rolloutId,
): Promise<StoredJob> {
  const command = { jobId, spec: methodJobSpec(), mode: 'put' as const };
  const { job } = await createJob(
    rollout === null ? command : { ...command, rolloutId: rollout },
    fixture.deps,
  );
  fixture.hub.setResults(jobId, results);
  const succeededCount = results.filter((r) => r.status === 'completed').length;
  const statistics = { ...job.statistics, deviceCount: results.length, succeededCount };
  const ended = await updateJobGuarded(fixture.jobStore, job, (latest) => ({
    ...latest,
    status: 'completed',
    endedAt: '2030-01-01T00:10:00Z',
    statistics: { ...statistics, failedCount: results.length - succeededCount },
  }));
  return ended.job;
}

describe('recordRolloutDeviceResults, through the results import', () => {
  it("records a chunk job's failed-first page before its others, with the attempt from its id", async () => {
    const fixture = rolloutFixture({ maxActiveJobs: 3 });
    const devices = deviceIds(150);
    const jobId = chunkJobId(rolloutId, 1, 1);
    const job = await endedChunk(
      fixture,
      jobId,
      resultsOf(jobId, devices, (i) => (i % 10 === 0 ? 'offline' : 'succeeded')),
    );

    const firstTick = await importDeviceResults([job], 1, fixture.deps);
    assert.equal(firstTick.queries, 1);
    const afterOne = fixture.rolloutDevices.sorted(rolloutId);
    assert.equal(afterOne.length, 15);
    assert.ok(afterOne.every((row) => row.outcome === 'offline' && row.attempt === 1));

    const stored = await fixture.jobStore.get(jobId);
    assert.ok(stored);
    await importDeviceResults([stored], 10, fixture.deps);
    const rows = fixture.rolloutDevices.sorted(rolloutId);
    assert.deepEqual(
      rows.map((row) => row.deviceId),
      devices,
    );
    assert.deepEqual(await fixture.rolloutDevices.countByOutcome(rolloutId), {
      offline: 15,
      succeeded: 135,
    });
    const final = await fixture.jobStore.get(jobId);
    assert.equal(final?.statistics.succeededCount, 135);
    assert.equal(final?.statistics.failedCount, 15);
  });

  it('shows a device retried twice at its latest attempt, whatever order the chunks are imported in', async () => {
    const fixture = rolloutFixture({ maxActiveJobs: 3 });
    const devices = deviceIds(20);
    const ids = [1, 2, 3].map((attempt) => chunkJobId(rolloutId, 1, 1, attempt));
    const [id1 = '', id2 = '', id3 = ''] = ids;
    const jobs = [
      await endedChunk(
        fixture,
        id1,
        resultsOf(id1, devices, (i) => (i < 6 ? 'offline' : 'succeeded')),
      ),
      await endedChunk(
        fixture,
        id2,
        resultsOf(id2, devices.slice(0, 6), (i) => (i < 2 ? 'timedOut' : 'succeeded')),
      ),
      await endedChunk(
        fixture,
        id3,
        resultsOf(id3, devices.slice(0, 2), () => 'succeeded'),
      ),
    ];

    for (const job of [...jobs].reverse()) await importDeviceResults([job], 5, fixture.deps);

    const rows = fixture.rolloutDevices.sorted(rolloutId);
    assert.equal(rows.length, 20);
    assert.deepEqual(
      rows.slice(0, 7).map((row) => [row.deviceId, row.attempt, row.jobId, row.outcome]),
      [
        [devices[0], 3, id3, 'succeeded'],
        [devices[1], 3, id3, 'succeeded'],
        [devices[2], 2, id2, 'succeeded'],
        [devices[3], 2, id2, 'succeeded'],
        [devices[4], 2, id2, 'succeeded'],
        [devices[5], 2, id2, 'succeeded'],
        [devices[6], 1, id1, 'succeeded'],
      ],
    );
  });

  it('fails the page when recording fails, so the next run reads it again and nothing is lost', async () => {
    const fixture = rolloutFixture({ maxActiveJobs: 3 });
    const jobId = chunkJobId(rolloutId, 2, 1);
    const job = await endedChunk(
      fixture,
      jobId,
      resultsOf(jobId, deviceIds(5), () => 'succeeded'),
    );
    fixture.rolloutDevices.failNext = new Error('table unavailable');

    const failed = await importDeviceResults([job], 5, fixture.deps);
    assert.equal(failed.failures, 1);
    const unchanged = await fixture.jobStore.get(jobId);
    assert.equal(unchanged?.resultsImport?.imported ?? 0, 0);
    assert.equal(fixture.rolloutDevices.sorted(rolloutId).length, 0);
    assert.ok(unchanged);

    await importDeviceResults([unchanged], 5, fixture.deps);
    assert.equal(fixture.rolloutDevices.sorted(rolloutId).length, 5);
    assert.equal((await fixture.jobStore.get(jobId))?.resultsImport?.phase, 'done');
  });

  it('leaves plain jobs alone, and refuses to guess the attempt of a rollout job with another id', async () => {
    const fixture = rolloutFixture({ maxActiveJobs: 3 });
    const plain = await endedChunk(
      fixture,
      'plain-job',
      resultsOf('plain-job', deviceIds(3), () => 'succeeded'),
      null,
    );
    const odd = await endedChunk(
      fixture,
      'odd-job',
      resultsOf('odd-job', deviceIds(3), () => 'succeeded'),
    );

    const report = await importDeviceResults([plain, odd], 5, fixture.deps);
    assert.equal(report.failures, 1);
    assert.equal((await fixture.jobStore.get('plain-job'))?.resultsImport?.phase, 'done');
    assert.notEqual((await fixture.jobStore.get('odd-job'))?.resultsImport?.phase, 'done');
    assert.equal(fixture.rolloutDevices.rows.size, 0);
    assert.match(JSON.stringify(fixture.logs), /not a chunk job of rollout fw-2030/);
  });
});
