import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toDeviceResult } from '../../src/hub/toDeviceResult';

describe('toDeviceResult', () => {
  it('maps a completed method device with its response and times', () => {
    const result = toDeviceResult(
      {
        deviceId: 'dev-1',
        jobId: 'job-1',
        jobType: 'scheduleDeviceMethod',
        status: 'completed',
        startTimeUtc: '2016-09-29T18:18:52.7418462',
        endTimeUtc: '2016-09-29T18:20:52.7418462',
        lastUpdatedDateTimeUtc: '2016-09-29T18:18:56.8894408Z',
        outcome: { deviceMethodResponse: { status: 200, payload: { ok: true } } },
      },
      'job-1',
    );
    assert.deepEqual(result, {
      jobId: 'job-1',
      deviceId: 'dev-1',
      status: 'completed',
      outcome: 'succeeded',
      startTimeUtc: '2016-09-29T18:18:52.741Z',
      endTimeUtc: '2016-09-29T18:20:52.741Z',
      lastUpdatedDateTimeUtc: '2016-09-29T18:18:56.889Z',
      methodResponse: { status: 200, payload: { ok: true } },
    });
  });

  it('classifies a failed device by its error code, numeric or named', () => {
    const offline = toDeviceResult(
      { deviceId: 'a', status: 'failed', error: { code: 404103 } },
      'j',
    );
    assert.equal(offline?.outcome, 'offline');
    assert.deepEqual(offline?.error, { code: '404103' });
    const timedOut = toDeviceResult(
      { deviceId: 'b', status: 'failed', error: { code: 'GatewayTimeout', description: 'slow' } },
      'j',
    );
    assert.equal(timedOut?.outcome, 'timedOut');
    assert.deepEqual(timedOut?.error, { code: 'GatewayTimeout', description: 'slow' });
  });

  it('calls a completed device failed when its method answered an error status', () => {
    const result = toDeviceResult(
      {
        deviceId: 'a',
        status: 'completed',
        outcome: { deviceMethodResponse: { status: 500, payload: null } },
      },
      'j',
    );
    assert.equal(result?.outcome, 'failed');
  });

  it('normalises canceled, takes the expected job id when missing and skips records without device', () => {
    const result = toDeviceResult(
      { deviceId: 'a', status: 'canceled', outcome: { deviceMethodResponse: null } },
      'j',
    );
    assert.equal(result?.status, 'cancelled');
    assert.equal(result?.jobId, 'j');
    assert.equal(result?.methodResponse, undefined);
    assert.equal(toDeviceResult({ status: 'completed' }, 'j'), undefined);
  });
});
