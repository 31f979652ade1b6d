import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseHubErrorBody } from '../../src/hub/parseHubErrorBody';

describe('parseHubErrorBody', () => {
  it('reads the code and message of the current format', () => {
    const inner = JSON.stringify({
      errorCode: 404103,
      trackingId: 't',
      message: 'offline',
      info: {},
    });
    assert.deepEqual(parseHubErrorBody(JSON.stringify({ Message: inner, ExceptionMessage: '' })), {
      code: 404103,
      message: 'offline',
    });
  });

  it('reads the code name and message of the legacy format', () => {
    const body = JSON.stringify({
      Message: 'ErrorCode:DeviceNotOnline;Timed out waiting.',
      ExceptionMessage: 'x',
    });
    assert.deepEqual(parseHubErrorBody(body), {
      codeName: 'DeviceNotOnline',
      message: 'Timed out waiting.',
    });
  });

  it('reads a bare errorCode object and a Buffer body', () => {
    const body = Buffer.from(JSON.stringify({ errorCode: '429004', message: 'no slot' }));
    assert.deepEqual(parseHubErrorBody(body), { code: 429004, message: 'no slot' });
  });

  it('yields nothing for bodies it cannot read', () => {
    for (const body of ['', 'Service Unavailable', '[1]', '{bad json', undefined, 42]) {
      assert.deepEqual(parseHubErrorBody(body), {}, String(body));
    }
  });
});
