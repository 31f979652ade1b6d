import assert from 'node:assert/strict';
import type { RawResponse } from './rawHttps';
import { innerError } from './rawHttps';
import type { SdkHttpError } from './startTestHub';

/** Asserts the hub's error answer: HTTP status, `iothub-errorcode` header and the body's code. */
export function assertHubError(
  answer: RawResponse | SdkHttpError,
  status: number,
  code: number,
  codeName: string,
): void {
  const wire =
    'status' in answer
      ? { status: answer.status, headers: answer.headers, text: answer.text }
      : {
          status: answer.response?.statusCode,
          headers: answer.response?.headers ?? {},
          text: answer.responseBody ?? '',
        };
  assert.equal(wire.status, status, `HTTP status (body: ${wire.text})`);
  assert.equal(wire.headers['iothub-errorcode'], codeName);
  assert.equal(wire.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(innerError(wire.text).errorCode, code);
}
