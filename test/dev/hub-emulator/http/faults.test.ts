import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultInjector } from '../../../../dev/hub-emulator/http/faults';

describe('FaultInjector', () => {
  it('fails exactly count matching requests, then lets them through', () => {
    const faults = new FaultInjector();
    faults.add({ route: 'jobs.get', status: 503, count: 2 });
    assert.equal(faults.take('jobs.create'), undefined);
    assert.equal(faults.take('jobs.get')?.error?.status, 503);
    assert.equal(faults.take('jobs.get')?.error?.code, 503001);
    assert.equal(faults.take('jobs.get'), undefined);
    assert.deepEqual(faults.list(), []);
  });

  it('uses the given code and name, and matches every hub route with *', () => {
    const faults = new FaultInjector();
    faults.add({ route: '*', status: 429, code: 429002, codeName: 'ThrottleBacklogLimitExceeded' });
    const effect = faults.take('twins.patch');
    assert.equal(effect?.error?.code, 429002);
    assert.equal(effect?.error?.codeName, 'ThrottleBacklogLimitExceeded');
    assert.equal(effect?.error?.headers['retry-after'], '1');
  });

  it('describes a slow success as a delay without an error', () => {
    const faults = new FaultInjector();
    faults.add({ route: 'methods.invoke', delayMs: 250 });
    assert.deepEqual(faults.take('methods.invoke'), { delayMs: 250, error: undefined });
  });

  it('consumes faults in the order they were added and lists what remains', () => {
    const faults = new FaultInjector();
    const first = faults.add({ route: 'jobs.create', status: 500 });
    const second = faults.add({ route: 'jobs.create', status: 503, count: 3 });
    assert.equal(faults.take('jobs.create')?.error?.status, 500);
    assert.deepEqual(
      faults.list().map((fault) => [fault.id, fault.remaining]),
      [[second.id, 3]],
    );
    assert.notEqual(first.id, second.id);
    faults.clear();
    assert.equal(faults.take('jobs.create'), undefined);
  });

  it('rejects a fault that neither fails nor delays, or names an unknown route', () => {
    const faults = new FaultInjector();
    assert.throws(() => faults.add({ route: 'jobs.get' }), /error status, a delayMs/);
    assert.throws(() => faults.add({ route: 'jobs.get', status: 200 }), /status must be/);
    assert.throws(() => faults.add({ route: 'nope' as 'jobs.get', status: 500 }));
  });
});
