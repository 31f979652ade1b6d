import { InMemoryJobStore } from '../jobs/support/inMemoryJobStore';
import {
  InMemoryDeviceResultStore,
  InMemoryIdempotencyStore,
  RecordingQueue,
} from '../jobs/support/inMemoryStores';
import { describeDeviceResultStoreContract } from './deviceResultStoreContract';
import { describeIdempotencyStoreContract } from './idempotencyStoreContract';
import { contractGraceMs, describeJobStoreContract } from './jobStoreContract';
import { describeWorkQueueContract } from './workQueueContract';

// The fakes the use-case tests run on keep the promises the storage adapters keep.
describeJobStoreContract('InMemoryJobStore', (clock) =>
  Promise.resolve(new InMemoryJobStore({ clock, createGraceMs: contractGraceMs })),
);
describeDeviceResultStoreContract('InMemoryDeviceResultStore', () =>
  Promise.resolve(new InMemoryDeviceResultStore()),
);
describeIdempotencyStoreContract('InMemoryIdempotencyStore', (clock) =>
  Promise.resolve(new InMemoryIdempotencyStore(clock)),
);
describeWorkQueueContract('RecordingQueue', () => {
  const queue = new RecordingQueue();
  return Promise.resolve({
    queue,
    visible: () =>
      Promise.resolve(queue.sent.filter((sent) => sent.delaySeconds <= 0).map((s) => s.message)),
    waiting: () => Promise.resolve(queue.sent.length),
  });
});
