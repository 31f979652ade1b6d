import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceJobJson, HubModel } from '../../../../dev/hub-emulator/model/index';
import { ManualClock, methodJob, openModel, waitFor, waitForStatus } from './helpers';

function outcomes(model: HubModel, jobId: string): string[] {
  const rows: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = model.query(`SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${jobId}'`, {
      pageSize: 1000,
      ...(continuationToken ? { continuationToken } : {}),
    });
    for (const item of page.items as DeviceJobJson[]) {
      rows.push(
        `${item.deviceId} ${item.status} ${item.error?.code ?? ''} ${item.outcome.deviceMethodResponse?.status ?? ''}`,
      );
    }
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return rows.sort();
}

describe('JobEngine at scale', () => {
  it('runs a 10,000-device method job with pacing off while other callbacks keep running', async () => {
    const model = openModel({ devices: 10_000 });
    model.jobs.create('big', methodJob());
    let ticksDuringRun = 0;
    const ticker = setInterval(() => {
      if (model.jobs.get('big').status === 'running') ticksDuringRun += 1;
    }, 1);
    try {
      const done = await waitForStatus(model, 'big', 'completed');
      assert.equal(done.deviceJobStatistics.succeededCount, 10_000);
      assert.equal(
        model.operations.list({ jobId: 'big' }).length,
        10_000,
        'each device exactly once',
      );
      assert.ok(ticksDuringRun > 0, 'the event loop stayed responsive during the run');
    } finally {
      clearInterval(ticker);
      model.close();
    }
  });

  it('gives the same per-device outcomes for the same seed and job id, whatever the pace', async () => {
    const shares = {
      devices: 500,
      seed: 11,
      offlineShare: 0.1,
      transientFailureShare: 0.1,
      permanentFailureShare: 0.1,
    };
    const fast = openModel(shares);
    const paced = openModel({ ...shares, limits: { deviceOperationsPerSecond: 5000 } });
    const otherSeed = openModel({ ...shares, seed: 12 });
    for (const model of [fast, paced, otherSeed]) model.jobs.create('same', methodJob());
    await Promise.all(
      [fast, paced, otherSeed].map((model) => waitForStatus(model, 'same', 'completed')),
    );
    assert.deepEqual(outcomes(fast, 'same'), outcomes(paced, 'same'));
    assert.notDeepEqual(outcomes(fast, 'same'), outcomes(otherSeed, 'same'));
    for (const model of [fast, paced, otherSeed]) model.close();
  });

  it('paces device operations at deviceOperationsPerSecond, hub-wide', async () => {
    const clock = new ManualClock();
    const model = openModel({ devices: 100, limits: { deviceOperationsPerSecond: 50 } }, clock);
    model.jobs.create('paced-a', methodJob());
    model.jobs.create('paced-b', methodJob());
    await waitFor(() => model.operations.list().length === 1, 'the first operation');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(model.operations.list().length, 1, 'no more while the clock stands still');
    clock.advance(100);
    await waitFor(
      () => model.operations.list().length === 6,
      'five more operations (100 ms at 50/s)',
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(model.operations.list().length, 6, 'both jobs share one budget');
    model.close();
  });
});
