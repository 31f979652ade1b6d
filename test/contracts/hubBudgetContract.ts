import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sleep } from '../../src/core/budgetWait';
import type { HubBudget, HubQuota } from '../../src/core/hubBudget';
import { ManualClock } from '../jobs/support/inMemoryStores';

/** What a budget under test is built from: its limits, windows, and a clock only sleeps move. */
export interface BudgetSetup {
  limits: Record<HubQuota, number>;
  windowMs: number;
  clock: ManualClock;
  sleep: Sleep;
}

export type MakeHubBudget = (setup: BudgetSetup) => Promise<HubBudget>;

const limits: Record<HubQuota, number> = { jobsOperations: 6, queries: 4 };
const windowMs = 5000;

/** A sleep that moves the clock instead of waiting, and remembers each pause. */
function movingSleep(clock: ManualClock, sleeps: number[]): Sleep {
  return (ms, signal) => {
    signal?.throwIfAborted();
    sleeps.push(ms);
    clock.advanceSeconds(ms / 1000);
    return Promise.resolve();
  };
}

async function takeMany(budget: HubBudget, quota: HubQuota, times: number): Promise<number> {
  const answers = await Promise.all(Array.from({ length: times }, () => budget.take(quota)));
  return answers.filter(Boolean).length;
}

/** What every HubBudget promises the hub gateway, run against each implementation. */
export function describeHubBudgetContract(name: string, makeBudget: MakeHubBudget): void {
  describe(`HubBudget contract: ${name}`, () => {
    const fresh = async () => {
      // The ManualClock starts on a window boundary (2030-01-01T00:00:00Z).
      const clock = new ManualClock();
      const sleeps: number[] = [];
      const budget = await makeBudget({
        limits,
        windowMs,
        clock,
        sleep: movingSleep(clock, sleeps),
      });
      return { budget, clock, sleeps };
    };

    it('grants each quota up to its limit, then answers false without waiting', async () => {
      const { budget, sleeps } = await fresh();
      for (let i = 0; i < limits.jobsOperations; i++) {
        assert.equal(await budget.take('jobsOperations'), true, `call ${i + 1}`);
      }
      assert.equal(await budget.take('jobsOperations'), false);
      assert.equal(await takeMany(budget, 'queries', 10), limits.queries, 'quotas are separate');
      assert.deepEqual(sleeps, []);
    });

    it('grants exactly the limit to many simultaneous takes', async () => {
      const { budget } = await fresh();
      assert.equal(await takeMany(budget, 'jobsOperations', 20), limits.jobsOperations);
    });

    it('takes several calls at once, or none of them', async () => {
      const { budget } = await fresh();
      assert.equal(await budget.take('jobsOperations', { count: 4 }), true);
      assert.equal(await budget.take('jobsOperations', { count: 3 }), false, 'only 2 are left');
      assert.equal(
        await budget.take('jobsOperations', { count: 2 }),
        true,
        'the refusal took none',
      );
      assert.equal(await budget.take('jobsOperations'), false);
    });

    it('refuses at once a count above the limit, however long it may wait', async () => {
      const { budget, sleeps } = await fresh();
      assert.equal(await budget.take('queries', { count: 5, maxWaitMs: 600_000 }), false);
      assert.deepEqual(sleeps, []);
      assert.equal(await budget.take('queries', { count: 4 }), true);
    });

    it('refuses a count that is not a whole number of at least one', async () => {
      const { budget } = await fresh();
      for (const count of [0, -1, 1.5]) {
        await assert.rejects(budget.take('queries', { count }), RangeError, String(count));
      }
    });

    it('keeps counting a grant until a minute after its window ended', async () => {
      const { budget, clock } = await fresh();
      assert.equal(await takeMany(budget, 'jobsOperations', limits.jobsOperations), 6);
      clock.advanceSeconds(60);
      assert.equal(await budget.take('jobsOperations'), false, 'still within 60 s of the grants');
      clock.advanceSeconds(5);
      assert.equal(await takeMany(budget, 'jobsOperations', 10), limits.jobsOperations);
    });

    it('never grants more than the limit in any 60 seconds', async () => {
      const { budget, clock } = await fresh();
      const grantedAt: number[] = [];
      clock.advanceSeconds(3); // grants late in a window are the ones a sloppy rule frees early
      for (let second = 0; second < 180; second += 1) {
        if (await budget.take('queries')) grantedAt.push(clock.now().getTime());
        clock.advanceSeconds(1);
      }
      for (const start of grantedAt) {
        const inMinute = grantedAt.filter((at) => at >= start && at < start + 60_000).length;
        assert.ok(inMinute <= limits.queries, `${inMinute} grants in the minute from ${start}`);
      }
      assert.ok(grantedAt.length >= 2 * limits.queries, 'the budget came back each minute');
    });

    it('waits into the window where room frees when maxWaitMs reaches it', async () => {
      const { budget, clock, sleeps } = await fresh();
      const start = clock.now().getTime();
      assert.equal(await takeMany(budget, 'jobsOperations', limits.jobsOperations), 6);
      assert.equal(await budget.take('jobsOperations', { count: 2, maxWaitMs: 70_000 }), true);
      const waited = clock.now().getTime() - start;
      assert.ok(waited >= 65_000 && waited <= 70_000, `waited ${waited} ms`);
      assert.ok(sleeps.length > 0);
    });

    it('answers false at once when room frees only after maxWaitMs', async () => {
      const { budget, sleeps } = await fresh();
      assert.equal(await takeMany(budget, 'jobsOperations', limits.jobsOperations), 6);
      assert.equal(await budget.take('jobsOperations', { maxWaitMs: 30_000 }), false);
      assert.deepEqual(sleeps, [], 'it did not wait for nothing');
    });

    it('gives up a take whose signal aborts', async () => {
      const { budget } = await fresh();
      await takeMany(budget, 'queries', limits.queries);
      const abortSignal = AbortSignal.abort();
      await assert.rejects(budget.take('queries', { maxWaitMs: 70_000, abortSignal }), {
        name: 'AbortError',
      });
    });

    it('reports what each quota used in the last minute against its limit', async () => {
      const { budget, clock } = await fresh();
      await budget.take('jobsOperations', { count: 3 });
      clock.advanceSeconds(20);
      await budget.take('queries');
      assert.deepEqual(await budget.usage(), {
        jobsOperations: { usedLastMinute: 3, limitPerMinute: 6 },
        queries: { usedLastMinute: 1, limitPerMinute: 4 },
      });
      clock.advanceSeconds(45);
      assert.deepEqual(await budget.usage(), {
        jobsOperations: { usedLastMinute: 0, limitPerMinute: 6 },
        queries: { usedLastMinute: 1, limitPerMinute: 4 },
      });
    });
  });
}
