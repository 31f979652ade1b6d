import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpRequest } from '@azure/functions';
import { ValidationError } from '../../src/core/errors';
import { HttpProblemError } from '../../src/http/httpProblemError';
import { readJsonBody, type JsonBodySource } from '../../src/http/readJsonBody';

function request(
  body: string | Uint8Array,
  contentType: string | undefined = 'application/json',
): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: 'http://127.0.0.1:7071/api/jobs',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body: typeof body === 'string' ? { string: body } : { bytes: body },
  });
}

/** A body streamed in chunks with no content-length, counting how many chunks were pulled. */
function streamedSource(
  chunks: number,
  chunkBytes: number,
): JsonBodySource & { pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
    },
  });
  return {
    headers: new Headers({ 'content-type': 'application/json' }),
    body,
    pulled: () => pulled,
  };
}

async function bodyFieldError(source: JsonBodySource, maxBytes = 1024): Promise<string> {
  const error: unknown = await readJsonBody(source, maxBytes).then(
    () => assert.fail('the body was accepted'),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof ValidationError, String(error));
  assert.equal(error.errors.length, 1);
  assert.equal(error.errors[0]?.field, 'body');
  return error.errors[0]?.message ?? '';
}

async function problemStatus(source: JsonBodySource, maxBytes = 1024): Promise<number> {
  const error: unknown = await readJsonBody(source, maxBytes).then(
    () => assert.fail('the body was accepted'),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof HttpProblemError, String(error));
  return error.status;
}

describe('readJsonBody', () => {
  it('parses a JSON body', async () => {
    assert.deepEqual(await readJsonBody(request('{"a":[1,"é"]}'), 1024), { a: [1, 'é'] });
  });

  it('accepts JSON media types with a UTF-8 charset, and a body without a content type', async () => {
    for (const contentType of [
      'application/json; charset=utf-8',
      'application/merge-patch+json',
      'APPLICATION/JSON',
      undefined,
    ]) {
      assert.deepEqual(
        await readJsonBody(request('{"a":1}', contentType), 1024),
        { a: 1 },
        String(contentType),
      );
    }
  });

  it('answers 415 to a content type other than JSON', async () => {
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/jsonp',
    ]) {
      assert.equal(await problemStatus(request('{"a":1}', contentType)), 415, contentType);
    }
  });

  it('answers 413 to a body over the limit, declared or streamed', async () => {
    assert.equal(await problemStatus(request(`"${'x'.repeat(2000)}"`)), 413);
    assert.deepEqual(await readJsonBody(request(`"${'x'.repeat(1022)}"`), 1024), 'x'.repeat(1022));
  });

  it('stops reading a streamed body as soon as it passes the limit', async () => {
    const source = streamedSource(1000, 256);
    assert.equal(await problemStatus(source, 1024), 413);
    assert.ok(source.pulled() <= 6, `pulled ${source.pulled()} chunks`);
  });

  it('names the body when it is empty or blank', async () => {
    for (const body of ['', '   \n', '\uFEFF']) {
      assert.match(await bodyFieldError(request(body)), /is empty/);
    }
    assert.match(await bodyFieldError({ headers: new Headers(), body: null }), /is empty/);
  });

  it('names the position of malformed JSON', async () => {
    assert.match(
      await bodyFieldError(request('{"a":}')),
      /not valid JSON at position 5 \(line 1, column 6\)/,
    );
    assert.match(
      await bodyFieldError(request('{\n  "a": 1,\n  "b" 2\n}')),
      /position 18 \(line 3, column 7\): expected ':'/,
    );
    assert.match(await bodyFieldError(request('{"a":1')), /position 6 .*ends too early/);
  });

  it('refuses bytes that are not UTF-8', async () => {
    assert.match(
      await bodyFieldError(request(new Uint8Array([0x22, 0xff, 0xfe, 0x22]))),
      /not valid UTF-8/,
    );
  });

  it('refuses absurdly nested JSON without overflowing the stack', async () => {
    const deep = `${'['.repeat(300_000)}${']'.repeat(300_000)}`;
    assert.match(
      await bodyFieldError(request(deep), 1_048_576),
      /nests objects or arrays deeper than 100 levels/,
    );
    assert.ok(await readJsonBody(request(`${'['.repeat(100)}${']'.repeat(100)}`), 1024));
  });

  it('ignores a leading byte-order mark', async () => {
    assert.deepEqual(await readJsonBody(request('\uFEFF{"a":1}'), 1024), { a: 1 });
  });
});
