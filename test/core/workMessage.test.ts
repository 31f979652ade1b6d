import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { httpFunctionDeclarations } from '../../src/functions/declarations';
import { buildOpenApiDocument } from '../../src/http/openapi';
import { classifyWorkMessage } from '../../src/core/workMessage';
import { queueMessageSchema } from '../../src/queueContract';

const submit = { schemaVersion: 1, kind: 'submitJob', jobId: 'j-1' };

describe('classifyWorkMessage', () => {
  it('accepts a submitJob message', () => {
    assert.deepEqual(classifyWorkMessage(submit, queueMessageSchema), {
      verdict: 'valid',
      message: submit,
    });
  });

  it('accepts a followJob message, its follow count 1 when absent', () => {
    const follow = { schemaVersion: 1, kind: 'followJob', jobId: 'j-1' };
    assert.deepEqual(classifyWorkMessage(follow, queueMessageSchema), {
      verdict: 'valid',
      message: { ...follow, follow: 1 },
    });
    const verdict = classifyWorkMessage({ ...follow, follow: 0 }, queueMessageSchema);
    assert.equal(verdict.verdict, 'malformed');
  });

  it('calls a kind this version does not know unknown, whatever its other fields', () => {
    assert.deepEqual(
      classifyWorkMessage({ schemaVersion: 1, kind: 'openWindow', x: [1] }, queueMessageSchema),
      {
        verdict: 'unknown',
        reason: 'unknown kind "openWindow"',
      },
    );
  });

  it('calls a schemaVersion newer than every known one unknown', () => {
    assert.deepEqual(
      classifyWorkMessage({ ...submit, schemaVersion: 2, extra: true }, queueMessageSchema),
      {
        verdict: 'unknown',
        reason: 'unknown schemaVersion 2',
      },
    );
  });

  it('names each bad field of a known kind, unknown fields included', () => {
    const verdict = classifyWorkMessage(
      { ...submit, jobId: 'a b', extra: true },
      queueMessageSchema,
    );
    assert.equal(verdict.verdict, 'malformed');
    assert.deepEqual(
      verdict.verdict === 'malformed' ? verdict.errors.map((e) => e.field).sort() : [],
      ['extra', 'jobId'],
    );
  });

  it('calls a version no release ever wrote malformed, not unknown', () => {
    for (const schemaVersion of [0, -1, 1.5, '1', undefined]) {
      assert.equal(
        classifyWorkMessage({ ...submit, schemaVersion }, queueMessageSchema).verdict,
        'malformed',
      );
    }
  });

  it('calls a message without a usable kind, or not an object, malformed', () => {
    for (const input of ['submit', 42, null, [submit], { schemaVersion: 1, jobId: 'j' }]) {
      const verdict = classifyWorkMessage(input, queueMessageSchema);
      assert.equal(verdict.verdict, 'malformed', JSON.stringify(input));
    }
    assert.deepEqual(
      classifyWorkMessage({ ...submit, kind: 7 }, queueMessageSchema).verdict,
      'malformed',
    );
  });
});

describe('the OpenAPI WorkMessage component', () => {
  it("is the union's JSON schema, shared schemas referenced as components", () => {
    const document = buildOpenApiDocument(httpFunctionDeclarations) as {
      components: { schemas: Record<string, unknown> };
    };
    const { $schema: _schema, ...expected } = z.toJSONSchema(queueMessageSchema, {
      target: 'draft-2020-12',
      io: 'input',
    });
    const resolved = dereference(
      document.components.schemas.WorkMessage,
      document.components.schemas,
    );
    assert.deepEqual(resolved, dereference(expected, {}));
    assert.deepEqual(
      (expected.oneOf as { properties: { kind: { const: string } } }[]).map(
        (member) => member.properties.kind.const,
      ),
      ['submitJob', 'followJob', 'advanceRollout', 'startRollout'],
    );
  });
});

/** The schema with every `#/components/schemas/X` reference replaced by X itself. */
function dereference(schema: unknown, components: Record<string, unknown>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => dereference(item, components));
  if (schema === null || typeof schema !== 'object') return schema;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    const { $ref: _ref, ...rest } = schema as Record<string, unknown>;
    const target = components[ref.slice('#/components/schemas/'.length)] as Record<string, unknown>;
    return dereference({ ...target, ...rest }, components);
  }
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, dereference(value, components)]),
  );
}
