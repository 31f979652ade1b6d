import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubError } from '../../../../dev/hub-emulator/hubError';
import { HubModel, type MethodResult } from '../../../../dev/hub-emulator/model/index';

async function outcomeOf(promise: Promise<MethodResult>): Promise<string> {
  try {
    const result = await promise;
    return `status ${result.status}`;
  } catch (error) {
    assert.ok(error instanceof HubError);
    return `error ${error.code}`;
  }
}

async function rejectsWith(promise: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(promise, (error) => error instanceof HubError && error.code === code);
}

describe('DeviceRegistry.invokeMethod', () => {
  it('answers 200 with the device payload echoing the request', async () => {
    const model = new HubModel({ devices: 1 });
    const result = await model.registry.invokeMethod('device-00001', {
      methodName: 'lockDoor',
      payload: { x: 1 },
    });
    assert.deepEqual(result, {
      status: 200,
      payload: {
        result: 'ok',
        methodName: 'lockDoor',
        deviceId: 'device-00001',
        received: { x: 1 },
      },
    });
    model.close();
  });

  it('answers 404103 for an offline device, 404001 for an unknown one', async () => {
    const model = new HubModel({ devices: 1 });
    model.registry.setOnline('device-00001', false);
    await rejectsWith(model.registry.invokeMethod('device-00001', { methodName: 'm' }), 404103);
    await rejectsWith(model.registry.invokeMethod('nope', { methodName: 'm' }), 404001);
    model.registry.setOnline('device-00001', true);
    assert.equal(
      (await model.registry.invokeMethod('device-00001', { methodName: 'm' })).status,
      200,
    );
    model.close();
  });

  it('treats a disabled device as offline', async () => {
    const model = new HubModel();
    model.registry.createDevice('sleepy', { status: 'disabled' });
    await rejectsWith(model.registry.invokeMethod('sleepy', { methodName: 'm' }), 404103);
    model.close();
  });

  it('maps each share to its outcome: offline 404103, transient 504, permanent status 500', async () => {
    const cases = [
      [{ offlineShare: 1 }, 'error 404103'],
      [{ transientFailureShare: 1 }, 'error 504101'],
      [{ permanentFailureShare: 1 }, 'status 500'],
    ] as const;
    for (const [shares, expected] of cases) {
      const model = new HubModel({ devices: 1, ...shares });
      assert.equal(
        await outcomeOf(model.registry.invokeMethod('device-00001', { methodName: 'm' })),
        expected,
      );
      model.close();
    }
  });

  it('mixes outcomes close to the configured shares', async () => {
    const model = new HubModel({
      devices: 2000,
      offlineShare: 0.1,
      transientFailureShare: 0.2,
      permanentFailureShare: 0.3,
    });
    const counts = new Map<string, number>();
    for (const device of model.registry.listDevices(2000)) {
      const outcome = await outcomeOf(
        model.registry.invokeMethod(device.deviceId, { methodName: 'm' }),
      );
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    }
    const share = (key: string) => (counts.get(key) ?? 0) / 2000;
    assert.ok(Math.abs(share('error 404103') - 0.1) < 0.03, `offline ${share('error 404103')}`);
    assert.ok(Math.abs(share('error 504101') - 0.2) < 0.03, `transient ${share('error 504101')}`);
    assert.ok(Math.abs(share('status 500') - 0.3) < 0.03, `permanent ${share('status 500')}`);
    assert.ok(Math.abs(share('status 200') - 0.4) < 0.03, `success ${share('status 200')}`);
    model.close();
  });

  it('gives each device the same outcome for the same job and attempt, whatever the call order', async () => {
    const options = {
      devices: 300,
      seed: 5,
      offlineShare: 0.2,
      transientFailureShare: 0.2,
      permanentFailureShare: 0.2,
    };
    const first = new HubModel(options);
    const second = new HubModel(options);
    const ids = first.registry.listDevices(300).map((device) => device.deviceId);
    const call = (model: HubModel, id: string) =>
      outcomeOf(
        model.registry.invokeMethod(id, { methodName: 'm' }, { jobId: 'job-a', attempt: 2 }),
      );
    const forward = await Promise.all(ids.map((id) => call(first, id)));
    const backward = await Promise.all([...ids].reverse().map((id) => call(second, id)));
    assert.deepEqual(forward, backward.reverse());
    assert.ok(new Set(forward).size > 1, 'outcomes vary across devices');
    const otherAttempt = await Promise.all(
      ids.map((id) =>
        outcomeOf(
          first.registry.invokeMethod(id, { methodName: 'm' }, { jobId: 'job-a', attempt: 3 }),
        ),
      ),
    );
    assert.notDeepEqual(otherAttempt, forward);
    first.close();
    second.close();
  });

  it('numbers direct calls per device as attempts 1, 2, …', async () => {
    const model = new HubModel({ devices: 2 });
    await model.registry.invokeMethod('device-00001', { methodName: 'a' });
    await model.registry.invokeMethod('device-00001', { methodName: 'b' });
    await model.registry.invokeMethod('device-00002', { methodName: 'c' });
    const entries = model.operations.list({ deviceId: 'device-00001' });
    assert.deepEqual(
      entries.map((entry) => [entry.methodName, entry.attempt, entry.jobId]),
      [
        ['a', 1, undefined],
        ['b', 2, undefined],
      ],
    );
    model.close();
  });

  it('answers after the configured method latency', async () => {
    const model = new HubModel({ devices: 1, methodLatencyMs: 30 });
    let settled = false;
    const call = model.registry.invokeMethod('device-00001', { methodName: 'm' }).then((result) => {
      settled = true;
      return result;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the answer waits for the latency');
    assert.equal((await call).status, 200);
    model.close();
  });

  it('refuses payloads over 128 KB with 413001 and bad timeouts or names with 400004', async () => {
    const model = new HubModel({ devices: 1 });
    const big = 'x'.repeat(128 * 1024);
    await rejectsWith(
      model.registry.invokeMethod('device-00001', { methodName: 'm', payload: big }),
      413001,
    );
    await rejectsWith(
      model.registry.invokeMethod('device-00001', { methodName: 'm', responseTimeoutInSeconds: 4 }),
      400004,
    );
    await rejectsWith(
      model.registry.invokeMethod('device-00001', {
        methodName: 'm',
        responseTimeoutInSeconds: 301,
      }),
      400004,
    );
    await rejectsWith(
      model.registry.invokeMethod('device-00001', { methodName: 'm', connectTimeoutInSeconds: -1 }),
      400004,
    );
    await rejectsWith(model.registry.invokeMethod('device-00001', { methodName: '' }), 400004);
    assert.deepEqual(model.operations.list(), [], 'refused calls reach no device');
    model.close();
  });

  it('fails pending calls with 503 on close instead of leaving them hanging', async () => {
    const model = new HubModel({ devices: 1, methodLatencyMs: 60_000 });
    const call = model.registry.invokeMethod('device-00001', { methodName: 'm' });
    model.close();
    await rejectsWith(call, 503001);
  });
});

describe('OperationLog', () => {
  it('filters by device, job and sequence number, and clears', async () => {
    const model = new HubModel({ devices: 2 });
    await model.registry.invokeMethod('device-00001', { methodName: 'a' });
    await model.registry.invokeMethod(
      'device-00002',
      { methodName: 'b' },
      { jobId: 'j', attempt: 1 },
    );
    await model.registry.invokeMethod('device-00001', { methodName: 'c' });
    const all = model.operations.list();
    assert.deepEqual(
      all.map((entry) => entry.seq),
      [1, 2, 3],
    );
    assert.ok(all.every((entry) => entry.operation === 'method' && entry.outcome === 'succeeded'));
    assert.deepEqual(
      model.operations.list({ jobId: 'j' }).map((entry) => entry.methodName),
      ['b'],
    );
    assert.deepEqual(
      model.operations
        .list({ sinceSeq: 1, deviceId: 'device-00001' })
        .map((entry) => entry.methodName),
      ['c'],
    );
    model.operations.clear();
    assert.deepEqual(model.operations.list(), []);
    model.close();
  });
});
