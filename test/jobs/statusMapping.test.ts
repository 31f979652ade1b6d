import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  deviceOutcome,
  normaliseDeviceJobStatus,
  normaliseJobStatus,
} from '../../src/jobs/statusMapping';

describe('normaliseJobStatus', () => {
  it('treats enqueued, pending and queued as queued', () => {
    for (const raw of ['enqueued', 'pending', 'queued']) {
      assert.equal(normaliseJobStatus(raw), 'queued', raw);
    }
  });

  it('treats both spellings of cancelled as cancelled', () => {
    assert.equal(normaliseJobStatus('canceled'), 'cancelled');
    assert.equal(normaliseJobStatus('cancelled'), 'cancelled');
  });

  it('keeps the hub statuses hubjobs shares', () => {
    for (const raw of ['scheduled', 'running', 'completed', 'failed'] as const) {
      assert.equal(normaliseJobStatus(raw), raw);
    }
  });

  it('ignores case, as the C# SDK sends enum names', () => {
    assert.equal(normaliseJobStatus('Completed'), 'completed');
    assert.equal(normaliseJobStatus(' QUEUED '), 'queued');
  });

  it('maps unknown and unrecognised statuses to a non-terminal running', () => {
    assert.equal(normaliseJobStatus('unknown'), 'running');
    assert.equal(normaliseJobStatus('finished'), 'running');
    assert.equal(normaliseJobStatus(''), 'running');
  });
});

describe('normaliseDeviceJobStatus', () => {
  it('keeps pending, scheduled, running, completed and failed', () => {
    for (const raw of ['pending', 'scheduled', 'running', 'completed', 'failed'] as const) {
      assert.equal(normaliseDeviceJobStatus(raw), raw);
    }
  });

  it('turns the hub device-level spelling canceled into cancelled', () => {
    assert.equal(normaliseDeviceJobStatus('canceled'), 'cancelled');
    assert.equal(normaliseDeviceJobStatus('Cancelled'), 'cancelled');
  });

  it('maps unrecognised statuses to pending, neither success nor failure', () => {
    assert.equal(normaliseDeviceJobStatus('unknown'), 'pending');
  });
});

describe('deviceOutcome', () => {
  it('calls a failed device with 404103 or DeviceNotOnline offline', () => {
    assert.equal(deviceOutcome('failed', { code: '404103' }), 'offline');
    assert.equal(deviceOutcome('failed', { code: 'DeviceNotOnline' }), 'offline');
  });

  it('calls a failed device with 504, 504xxx or a timeout code name timed out', () => {
    for (const code of ['504', '504101', 'GatewayTimeout', 'DeviceTimeout', 'Timeout']) {
      assert.equal(deviceOutcome('failed', { code }), 'timedOut', code);
    }
  });

  it('calls any other failed device failed, with or without an error', () => {
    assert.equal(deviceOutcome('failed', { code: '400004', description: 'bad' }), 'failed');
    assert.equal(deviceOutcome('failed', { code: '404001' }), 'failed');
    assert.equal(deviceOutcome('failed'), 'failed');
  });

  it('calls a completed device whose method answered 300 or more failed', () => {
    assert.equal(deviceOutcome('completed', undefined, { status: 500 }), 'failed');
    assert.equal(deviceOutcome('completed', undefined, { status: 300 }), 'failed');
  });

  it('calls a completed device succeeded when its method answered below 300 or it had none', () => {
    assert.equal(deviceOutcome('completed', undefined, { status: 200 }), 'succeeded');
    assert.equal(deviceOutcome('completed'), 'succeeded');
  });

  it('maps the unfinished statuses to pending, running and cancelled', () => {
    assert.equal(deviceOutcome('pending'), 'pending');
    assert.equal(deviceOutcome('scheduled'), 'pending');
    assert.equal(deviceOutcome('running'), 'running');
    assert.equal(deviceOutcome('cancelled'), 'cancelled');
  });
});
