import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkMessage, WorkQueue } from '../../src/core/workQueue';

/** A queue and a look at what it holds, without taking anything from it. */
export interface QueueUnderTest {
  queue: WorkQueue;
  /** The messages a receiver would get now, decoded, oldest first. */
  visible: () => Promise<WorkMessage[]>;
  /** Every message waiting, visible or still hidden by its delay. */
  waiting: () => Promise<number>;
}

export type MakeWorkQueue = () => Promise<QueueUnderTest>;

const message = (jobId: string): WorkMessage => ({ schemaVersion: 1, kind: 'submitJob', jobId });

/** What every WorkQueue promises its producers, run against each implementation. */
export function describeWorkQueueContract(name: string, makeQueue: MakeWorkQueue): void {
  describe(`WorkQueue contract: ${name}`, () => {
    it('delivers a message sent without delay at once, as it was sent', async () => {
      const { queue, visible, waiting } = await makeQueue();
      await queue.send(message('job-1'));
      await queue.send(message('job-2'), { delaySeconds: 0 });
      assert.deepEqual(await visible(), [message('job-1'), message('job-2')]);
      assert.equal(await waiting(), 2);
    });

    it('holds a delayed message back from receivers while it waits', async () => {
      const { queue, visible, waiting } = await makeQueue();
      await queue.send(message('later'), { delaySeconds: 3600 });
      await queue.send(message('now'));
      assert.deepEqual(await visible(), [message('now')]);
      assert.equal(await waiting(), 2, 'the delayed one is stored, only hidden');
    });
  });
}
