import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConcurrencyError, ValidationError } from '../../src/core/errors';
import { JobExistsError } from '../../src/jobs/jobErrors';
import type { StoredJob } from '../../src/jobs/job';
import type { JobStore } from '../../src/jobs/ports';
import { ManualClock } from '../jobs/support/inMemoryStores';
import { createdAtSeconds, makeJob, storeJob } from '../storage/storageFixtures';

/** How long both stores leave a pending job to its create in these tests. */
export const contractGraceMs = 30_000;

/** A fresh, empty store whose create grace is `contractGraceMs`, measured on `clock`. */
export type MakeJobStore = (clock: ManualClock) => Promise<JobStore>;

const ids = (jobs: readonly StoredJob[]) => jobs.map((job) => job.jobId);

/** What every JobStore promises the use cases, run against each implementation. */
export function describeJobStoreContract(name: string, makeStore: MakeJobStore): void {
  describe(`JobStore contract: ${name}`, () => {
    const fresh = async () => {
      const clock = new ManualClock(new Date());
      return { store: await makeStore(clock), clock };
    };

    it('finds a job by id once createPending resolves, and nothing for an unknown id', async () => {
      const { store } = await fresh();
      const created = await store.createPending(makeJob());
      assert.deepEqual(await store.get(created.jobId), created);
      assert.equal(await store.get('no-such-job'), undefined);
    });

    it('refuses the id of a job still active with JobExistsError and keeps the first', async () => {
      const { store } = await fresh();
      const first = await storeJob(store, makeJob());
      await assert.rejects(
        store.createPending({ ...makeJob({ requestHash: 'other' }), jobId: first.jobId }),
        JobExistsError,
      );
      assert.equal((await store.get(first.jobId))?.requestHash, first.requestHash);
    });

    it('updates over the current revision and refuses a stale or made-up one', async () => {
      const { store } = await fresh();
      const created = await store.createPending(makeJob());
      const queued = await store.update({ ...created, status: 'queued' });
      assert.notEqual(queued.revision, created.revision);
      assert.deepEqual(await store.get(created.jobId), queued);

      await assert.rejects(store.update({ ...created, status: 'running' }), ConcurrencyError);
      await assert.rejects(store.update({ ...queued, revision: 'made-up' }), ConcurrencyError);
      const running = await store.update({ ...queued, status: 'running' });
      assert.deepEqual(await store.get(created.jobId), running);
    });

    it('lists newest first, filters by status, type and createdAfter, and pages', async () => {
      const { store } = await fresh();
      const times = createdAtSeconds(5);
      const jobs = [];
      for (const [index, createdAt] of times.entries()) {
        const job = makeJob({ createdAt, status: index % 2 === 0 ? 'running' : 'queued' });
        if (index === 4) job.spec = { ...job.spec, type: 'scheduleUpdateTwin' };
        jobs.push(await storeJob(store, job));
      }
      const newestFirst = ids(jobs).reverse();
      const everything: StoredJob[] = [];
      let token: string | undefined;
      do {
        const page = await store.list({}, { pageSize: 2, continuationToken: token });
        assert.ok(page.items.length <= 2);
        everything.push(...page.items);
        token = page.continuationToken;
      } while (token !== undefined);
      assert.deepEqual(ids(everything), newestFirst);

      const running = await store.list({ status: 'running' }, { pageSize: 10 });
      assert.deepEqual(ids(running.items), [newestFirst[0], newestFirst[2], newestFirst[4]]);
      const twins = await store.list({ type: 'scheduleUpdateTwin' }, { pageSize: 10 });
      assert.deepEqual(ids(twins.items), [newestFirst[0]]);
      const recent = await store.list({ createdAfter: times[2] }, { pageSize: 10 });
      assert.deepEqual(ids(recent.items), newestFirst.slice(0, 2));
    });

    it("lists a rollout's chunk jobs only under its rolloutId, newest first, paged", async () => {
      const { store } = await fresh();
      const times = createdAtSeconds(4);
      const chunk = (rolloutId: string, createdAt: string) =>
        storeJob(store, makeJob({ createdAt, rolloutId }));
      const plain = await storeJob(store, makeJob({ createdAt: times[0] }));
      const first = await chunk('r-1', times[1] ?? '');
      const other = await chunk('r-2', times[2] ?? '');
      const second = await chunk('r-1', times[3] ?? '');

      assert.deepEqual(ids((await store.list({}, { pageSize: 10 })).items), [plain.jobId]);
      const page1 = await store.list({ rolloutId: 'r-1' }, { pageSize: 1 });
      assert.deepEqual(ids(page1.items), [second.jobId]);
      assert.ok(page1.continuationToken !== undefined);
      const page2 = await store.list(
        { rolloutId: 'r-1' },
        { pageSize: 1, continuationToken: page1.continuationToken },
      );
      assert.deepEqual(ids(page2.items), [first.jobId]);
      const r2 = await store.list({ rolloutId: 'r-2', status: 'accepted' }, { pageSize: 10 });
      assert.deepEqual(ids(r2.items), [other.jobId]);
      assert.deepEqual((await store.list({ rolloutId: 'r-3' }, { pageSize: 10 })).items, []);
      await assert.rejects(
        store.list({ rolloutId: "x' or 'a'='a" }, { pageSize: 10 }),
        ValidationError,
      );
    });

    it("keeps a chunk job's copy in its rollout's listing as it changes, and follows it when active", async () => {
      const { store } = await fresh();
      const stored = await storeJob(store, makeJob({ rolloutId: 'r-1' }));
      const running = await store.update({ ...stored, status: 'running' });
      assert.deepEqual(ids(await store.listActive()), [running.jobId]);
      const listed = await store.list({ rolloutId: 'r-1', status: 'running' }, { pageSize: 10 });
      assert.deepEqual(listed.items, [running]);
      assert.deepEqual((await store.list({ status: 'running' }, { pageSize: 10 })).items, []);
      const done = await store.update({
        ...running,
        status: 'completed',
        resultsImport: { phase: 'done', imported: 0 },
      });
      assert.deepEqual(await store.listActive(), []);
      const final = await store.list({ rolloutId: 'r-1' }, { pageSize: 10 });
      assert.deepEqual(
        final.items.map((job) => job.status),
        [done.status],
      );
    });

    it('follows a job in listActive from its listing until its results are imported', async () => {
      const { store } = await fresh();
      const activeIds = async () => ids(await store.listActive());
      const pending = await store.createPending(makeJob());
      assert.deepEqual(await activeIds(), [], 'left to its create');
      assert.deepEqual((await store.list({}, { pageSize: 10 })).items, []);

      let job = await store.update({ ...pending, status: 'queued' });
      assert.deepEqual(await activeIds(), [job.jobId]);
      assert.deepEqual(ids((await store.list({}, { pageSize: 10 })).items), [job.jobId]);
      job = await store.update({ ...job, status: 'completed' });
      assert.deepEqual(await activeIds(), [job.jobId], 'terminal, results not yet imported');
      job = await store.update({ ...job, resultsImport: { phase: 'failed', imported: 0 } });
      assert.deepEqual(await activeIds(), [job.jobId]);
      job = await store.update({ ...job, resultsImport: { phase: 'done', imported: 2 } });
      assert.deepEqual(await activeIds(), []);
      assert.equal((await store.get(job.jobId))?.status, 'completed');
    });

    it('lists active jobs oldest first with revisions that update them', async () => {
      const { store } = await fresh();
      const [older, newer] = createdAtSeconds(2);
      const second = await storeJob(store, makeJob({ createdAt: newer, status: 'running' }));
      const first = await storeJob(store, makeJob({ createdAt: older, status: 'scheduled' }));
      const active = await store.listActive();
      assert.deepEqual(ids(active), [first.jobId, second.jobId]);
      const [listed] = active;
      assert.ok(listed);
      assert.equal((await store.update({ ...listed, status: 'running' })).status, 'running');
    });

    it('completeCreate lists a job admission left unwritten, and nothing else', async () => {
      const { store } = await fresh();
      const pending = await store.createPending(makeJob());
      const listed = await store.completeCreate(pending);
      assert.deepEqual(await store.get(pending.jobId), listed);
      assert.deepEqual(ids(await store.listActive()), [pending.jobId]);
      assert.deepEqual(await store.completeCreate(listed), listed);
      const queued = await store.update({ ...listed, status: 'queued' });
      assert.deepEqual(await store.completeCreate(queued), queued);
      assert.deepEqual(ids((await store.list({}, { pageSize: 10 })).items), [pending.jobId]);
    });

    it('takes over a create that stopped, once the grace is over, and its creator then loses', async () => {
      const { store, clock } = await fresh();
      const pending = await store.createPending(makeJob());
      assert.deepEqual(await store.listActive(), []);
      clock.advanceSeconds(contractGraceMs / 1000 + 30);

      const [taken] = await store.listActive();
      assert.ok(taken);
      assert.equal(taken.jobId, pending.jobId);
      assert.equal(taken.status, 'accepted');
      assert.deepEqual(ids((await store.list({}, { pageSize: 10 })).items), [pending.jobId]);
      await assert.rejects(store.update({ ...pending, status: 'queued' }), ConcurrencyError);
      await store.completeCreate(pending);
      const queued = await store.update({ ...taken, status: 'queued' });
      assert.deepEqual(await store.get(pending.jobId), queued);
      assert.equal((await store.list({}, { pageSize: 10 })).items.length, 1);
    });
  });
}
