import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpRequest } from '@azure/functions';
import { ValidationError } from '../../src/core/errors';
import { idempotencyKeyMaxLength } from '../../src/core/idempotency';
import { idempotencyKey } from '../../src/functions/requestParams';
import { buildOpenApiDocument } from '../../src/http/openapi';
import { httpFunctionDeclarations } from '../../src/functions/declarations';

const withKey = (key: string) =>
  new HttpRequest({
    method: 'POST',
    url: 'http://127.0.0.1/api/jobs',
    headers: { 'idempotency-key': key },
  });

function refusal(key: string): string {
  try {
    idempotencyKey(withKey(key));
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(
      error.errors.map((e) => e.field),
      ['Idempotency-Key'],
    );
    return error.errors[0]?.message ?? '';
  }
  assert.fail(`accepted a key of ${key.length} characters`);
}

describe('the Idempotency-Key header', () => {
  it('is at most 200 characters: the server, its message and the document say one number', () => {
    assert.equal(idempotencyKeyMaxLength, 200);
    assert.equal(idempotencyKey(withKey('k'.repeat(200))), 'k'.repeat(200));
    assert.equal(refusal('k'.repeat(201)), 'must be 1 to 200 visible ASCII characters');
    const document = buildOpenApiDocument(httpFunctionDeclarations) as {
      components: { parameters: { idempotencyKey: { schema: { maxLength: number } } } };
    };
    assert.equal(document.components.parameters.idempotencyKey.schema.maxLength, 200);
  });

  it('refuses blanks and characters outside visible ASCII, and is optional', () => {
    for (const key of ['a b', 'ä', '\t']) refusal(key);
    const none = new HttpRequest({ method: 'POST', url: 'http://127.0.0.1/api/jobs' });
    assert.equal(idempotencyKey(none), undefined);
  });
});
