import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindSkipReason } from './support/bindFailure';

function bindError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`listen ${code}: 0.0.0.0:443`), { code });
}

describe('bindSkipReason', () => {
  it('says the port is in use when another process holds it', () => {
    assert.equal(
      bindSkipReason(bindError('EADDRINUSE'), 443),
      'port 443 is already in use by another process (EADDRINUSE)',
    );
  });

  it('says the right to bind is missing only when the system refused it', () => {
    for (const code of ['EACCES', 'EPERM']) {
      assert.equal(
        bindSkipReason(bindError(code), 443),
        `needs the right to bind port 443 (${code}: this user may not listen on it)`,
      );
    }
  });

  it('gives no reason to skip for any other error, so the test fails with it', () => {
    assert.equal(bindSkipReason(bindError('EADDRNOTAVAIL'), 443), undefined);
    assert.equal(bindSkipReason(new Error('certificate missing'), 443), undefined);
  });
});
