import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { HttpRouter } from '../../dev/host/httpRouter';
import { resolveDeclarations } from '../../dev/host/resolveDeclarations';
import { idempotencyKeyMaxLength } from '../../src/core/idempotency';
import { functionDeclarations, httpFunctionDeclarations } from '../../src/functions/declarations';
import { buildOpenApiDocument } from '../../src/http/openapi';
import { buildPaths, openApiPath } from '../../src/http/openapiPaths';
import { queueMessageSchema } from '../../src/queueContract';
import { jobCreateRequestSchema } from '../../src/jobs/schemas';
import { validatesAgainst } from './support/miniJsonSchema';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is walked as plain JSON */
const document = buildOpenApiDocument(httpFunctionDeclarations) as any;

/** `METHOD /path` of every operation in the document. */
function documentedOperations(doc: any): string[] {
  return Object.entries(doc.paths as Record<string, object>)
    .flatMap(([path, item]) => Object.keys(item).map((verb) => `${verb.toUpperCase()} ${path}`))
    .sort();
}

/** `METHOD /path` of every HTTP function the app serves (both hosts read `functionDeclarations`). */
function servedOperations(): string[] {
  return functionDeclarations
    .flatMap((d) =>
      d.kind === 'http'
        ? (d.options.methods ?? []).map(
            (m) => `${m.toUpperCase()} ${openApiPath(d.options.route ?? d.name)}`,
          )
        : [],
    )
    .sort();
}
const method = {
  type: 'scheduleDeviceMethod',
  cloudToDeviceMethod: { methodName: 'reboot' },
  deviceIds: ['d1'],
};
const twin = {
  type: 'scheduleUpdateTwin',
  updateTwin: { tags: { site: 'x' } },
  queryCondition: '*',
};

describe('buildOpenApiDocument', () => {
  it('is OpenAPI 3.1 and JSON-serialisable', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(JSON.parse(JSON.stringify(document)), document);
  });

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(document)));
    assert.equal(validator.version, '3.1');
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    const broken = JSON.parse(JSON.stringify(document));
    broken.paths['/jobs'].get.responses['200'] = { content: {} };
    assert.equal((await new Validator().validate(broken)).valid, false, 'the validator can fail');
  });

  it('documents exactly the routes served: none undocumented, none unserved', () => {
    assert.deepEqual(documentedOperations(document), servedOperations());
  });

  it('serves every documented path through the local host router', () => {
    const router = new HttpRouter(resolveDeclarations(httpFunctionDeclarations, {}).http, 'api');
    for (const operation of documentedOperations(document)) {
      const [method = '', path = ''] = operation.split(' ');
      const concrete = path.replaceAll(/\{[^}]+\}/g, 'job-1');
      assert.equal(router.route(method, `/api${concrete}`).kind, 'found', operation);
    }
  });

  it('fails to document a route whose parameter has no schema', () => {
    const [getJob] = httpFunctionDeclarations.filter((d) => d.name === 'getJob');
    assert.ok(getJob);
    const { pathParameters: _dropped, ...api } = getJob.api;
    assert.throws(() => buildPaths([{ ...getJob, api }]), /no schema for route parameter jobId/);
  });

  it('documents a list of served operations that matches the jobs, rollouts and schedules API', () => {
    assert.deepEqual(documentedOperations(document), [
      'DELETE /schedules/{scheduleId}',
      'GET /health',
      'GET /jobs',
      'GET /jobs/{jobId}',
      'GET /jobs/{jobId}/devices',
      'GET /openapi.json',
      'GET /rollouts',
      'GET /rollouts/{rolloutId}',
      'GET /rollouts/{rolloutId}/devices',
      'GET /schedules',
      'GET /schedules/{scheduleId}',
      'POST /jobs',
      'POST /jobs/{jobId}/cancel',
      'POST /rollouts',
      'POST /rollouts/{rolloutId}/cancel',
      'POST /rollouts/{rolloutId}/pause',
      'POST /rollouts/{rolloutId}/rerun',
      'POST /rollouts/{rolloutId}/resume',
      'PUT /jobs/{jobId}',
      'PUT /rollouts/{rolloutId}',
      'PUT /schedules/{scheduleId}',
    ]);
  });

  it('validates a rollout body as the zod schema does, targets and waves included', () => {
    const good = {
      operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
      targets: { deviceIds: ['a', 'b'] },
      waves: { percent: 10 },
    };
    const schema = document.paths['/rollouts'].post.requestBody.content['application/json'].schema;
    assert.ok(schema);
    assert.equal(validatesAgainst(document, schema, good), true);
    assert.equal(validatesAgainst(document, schema, { ...good, waves: { count: 0 } }), false);
    assert.equal(validatesAgainst(document, schema, { ...good, targets: {} }), false);
  });

  it('validates a schedule body as the zod schema does, its template without startTime', () => {
    const good = {
      cron: '0 1 * * *',
      timeZone: { tag: 'timeZone' },
      durationMinutes: 180,
      rollout: {
        operation: { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } },
        targets: { queryCondition: "tags.site = 'berlin'" },
      },
    };
    const path = document.paths['/schedules/{scheduleId}'];
    const schema = path.put.requestBody.content['application/json'].schema;
    assert.equal(validatesAgainst(document, schema, good), true);
    assert.equal(validatesAgainst(document, schema, { ...good, durationMinutes: 0 }), false);
    const withStart = { ...good, rollout: { ...good.rollout, startTime: '2030-01-01T00:00:00Z' } };
    assert.equal(validatesAgainst(document, schema, withStart), false);
  });

  it('lists the statuses each create route answers with', () => {
    assert.deepEqual(
      Object.keys(document.paths['/jobs'].post.responses)
        .filter((s) => s !== 'default')
        .sort(),
      ['201', '202', '400', '409', '413', '415', '422'],
    );
    for (const status of ['200', '201', '202', '409'])
      assert.ok(document.paths['/jobs/{jobId}'].put.responses[status], status);
  });

  it('documents problems as application/problem+json', () => {
    const badRequest = document.paths['/jobs'].post.responses['400'];
    assert.deepEqual(badRequest.content['application/problem+json'].schema, {
      $ref: '#/components/schemas/Problem',
    });
  });

  it('offers device results as JSON and CSV', () => {
    const content = document.paths['/jobs/{jobId}/devices'].get.responses['200'].content;
    assert.deepEqual(Object.keys(content).sort(), ['application/json', 'text/csv']);
    const parameters = document.paths['/jobs/{jobId}/devices'].get.parameters.map(
      (p: { name?: string; $ref?: string }) => p.name ?? p.$ref,
    );
    assert.ok(
      parameters.includes('format') &&
        parameters.includes('pageSize') &&
        parameters.includes('status'),
    );
  });

  it('requires a function key except on health and openapi.json', () => {
    assert.deepEqual(document.security, [{ functionKeyHeader: [] }, { functionKeyQuery: [] }]);
    assert.deepEqual(document.components.securitySchemes.functionKeyHeader, {
      type: 'apiKey',
      in: 'header',
      name: 'x-functions-key',
    });
    assert.deepEqual(document.components.securitySchemes.functionKeyQuery, {
      type: 'apiKey',
      in: 'query',
      name: 'code',
    });
    assert.deepEqual(document.paths['/health'].get.security, []);
    assert.deepEqual(document.paths['/openapi.json'].get.security, []);
    assert.equal(document.paths['/jobs'].post.security, undefined);
  });

  it('takes an Idempotency-Key header on every POST', () => {
    for (const path of ['/jobs', '/jobs/{jobId}/cancel']) {
      assert.ok(
        document.paths[path].post.parameters.some(
          (p: any) => p.$ref === '#/components/parameters/idempotencyKey',
        ),
        path,
      );
    }
    assert.equal(document.components.parameters.idempotencyKey.name, 'Idempotency-Key');
    assert.equal(document.components.parameters.idempotencyKey.in, 'header');
    assert.equal(
      document.components.parameters.idempotencyKey.schema.maxLength,
      idempotencyKeyMaxLength,
    );
  });

  it('includes the component schemas, the queue message among them', () => {
    for (const name of [
      'JobCreateRequest',
      'JobResource',
      'JobList',
      'DeviceResult',
      'Problem',
      'WorkMessage',
    ]) {
      assert.ok(document.components.schemas[name], name);
    }
    const workMessage = { $ref: '#/components/schemas/WorkMessage' };
    const message = { schemaVersion: 1, kind: 'submitJob', jobId: 'job-1' };
    assert.equal(validatesAgainst(document, workMessage, message), true);
    for (const bad of [
      { ...message, schemaVersion: 2 },
      { ...message, extra: 1 },
      { ...message, jobId: 'a b' },
    ]) {
      assert.equal(validatesAgainst(document, workMessage, bad), false);
      assert.equal(queueMessageSchema.safeParse(bad).success, false);
    }
  });

  it('accepts and rejects the same create bodies as the zod schema', () => {
    const samples: unknown[] = [
      method,
      twin,
      { ...method, startTime: '2026-05-01T02:00:00+02:00', maxExecutionTimeInSeconds: 60 },
      { ...twin, updateTwin: { etag: '*', properties: { desired: { fw: '1.2' } } } },
      { ...method, type: 'scheduleTwinUpdate' },
      { ...method, extra: true },
      { ...method, queryCondition: '*' },
      { type: method.type, cloudToDeviceMethod: method.cloudToDeviceMethod },
      { ...method, updateTwin: twin.updateTwin },
      { ...method, cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 4 } },
      {
        ...method,
        cloudToDeviceMethod: {
          methodName: 'reboot',
          responseTimeoutInSeconds: 300,
          connectTimeoutInSeconds: 301,
        },
      },
      { ...method, cloudToDeviceMethod: { methodName: 're boot' } },
      { ...method, deviceIds: ["a'b"] },
      { ...method, deviceIds: ['a', 'a'] },
      { ...method, deviceIds: [] },
      { ...method, startTime: '2026-02-30T00:00:00Z' },
      { ...method, startTime: '2026-05-01T02:00:00' },
      { ...method, maxExecutionTimeInSeconds: 0 },
      { ...twin, updateTwin: { tags: { 'a b': 1 } } },
      { ...twin, queryCondition: 'x'.repeat(8165) },
      { ...twin, queryCondition: 'x'.repeat(8164) },
      42,
    ];
    const requestSchema = { $ref: '#/components/schemas/JobCreateRequest' };
    const outcomes = new Set<boolean>();
    for (const sample of samples) {
      const byZod = jobCreateRequestSchema.safeParse(sample).success;
      outcomes.add(byZod);
      assert.equal(
        validatesAgainst(document, requestSchema, sample),
        byZod,
        JSON.stringify(sample).slice(0, 120),
      );
    }
    assert.equal(outcomes.size, 2, 'the samples must include accepted and rejected bodies');
  });
});
