import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HubJob } from './support/hubShapes';
import { startTestHub, type TestHub } from './support/startTestHub';

describe('paging 250 jobs through the SDK', () => {
  let hub: TestHub;
  const jobCount = 250;
  before(async () => {
    hub = await startTestHub({
      tier: 'S3',
      limits: { jobsOperationsPerMinute: 100_000 },
    });
    const ids = Array.from(
      { length: jobCount },
      (_, index) => `paged-${String(index).padStart(3, '0')}`,
    );
    // Zero-device jobs (no device matches) complete at once, so batches of S3's 10 active jobs fit.
    for (let start = 0; start < ids.length; start += 10) {
      await Promise.all(
        ids.slice(start, start + 10).map((jobId) =>
          hub.jobClient.scheduleDeviceMethod(jobId, "deviceId = 'nobody'", {
            methodName: 'ping',
          }),
        ),
      );
    }
  });
  after(() => hub.close());

  it('returns three pages of 100, 100 and 50, the last without a continuation', async () => {
    const query = hub.jobClient.createQuery(undefined, undefined, 100);
    const pages: HubJob[][] = [];
    const continuationHeaders: Array<string | undefined> = [];
    do {
      const page = await query.next(query.continuationToken);
      pages.push(page.result as HubJob[]);
      const header = page.message.headers['x-ms-continuation'];
      continuationHeaders.push(Array.isArray(header) ? header[0] : header);
      assert.equal(page.message.headers['x-ms-item-type'], 'JobResponse');
    } while (query.hasMoreResults && pages.length < 10);
    assert.deepEqual(
      pages.map((page) => page.length),
      [100, 100, 50],
    );
    assert.equal(continuationHeaders.filter((header) => header !== undefined).length, 2);
    assert.equal(continuationHeaders[2], undefined);
    assert.equal(query.hasMoreResults, false);
    const ids = new Set(pages.flat().map((job) => job.jobId));
    assert.equal(ids.size, jobCount);
  });

  it('lists the zero-device jobs as completed with deviceCount 0, filtered by status', async () => {
    const query = hub.jobClient.createQuery('scheduleDeviceMethod', 'completed' as never, 100);
    const page = await query.next(query.continuationToken);
    const jobs = page.result as HubJob[];
    assert.equal(jobs.length, 100);
    assert.ok(
      jobs.every((job) => job.status === 'completed' && job.deviceJobStatistics.deviceCount === 0),
    );
  });
});
