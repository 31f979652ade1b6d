import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type FieldError } from '../../src/core/errors';
import { emptyStatistics, type Job, type StoredJob } from '../../src/jobs/job';
import {
  jobResourceSchema,
  parseJobCreateRequest,
  parseJobId,
  toJobResource,
} from '../../src/jobs/schemas';

const methodBody = {
  type: 'scheduleDeviceMethod',
  cloudToDeviceMethod: { methodName: 'reboot', payload: { delay: 5 } },
  deviceIds: ['dev1', 'dev2'],
};
const twinBody = {
  type: 'scheduleUpdateTwin',
  updateTwin: { tags: { site: 'berlin' }, properties: { desired: { fw: '1.2' } } },
  queryCondition: "tags.site = 'x'",
};

function fieldErrors(body: unknown): FieldError[] {
  try {
    parseJobCreateRequest(body);
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.errors;
  }
  assert.fail(`accepted ${JSON.stringify(body)?.slice(0, 200)}`);
}

function fieldsOf(body: unknown): string[] {
  return fieldErrors(body).map((e) => e.field);
}

describe('parseJobCreateRequest', () => {
  it('turns a method job by device ids into the hub request with its defaults', () => {
    assert.deepEqual(parseJobCreateRequest(methodBody), {
      type: 'scheduleDeviceMethod',
      cloudToDeviceMethod: {
        methodName: 'reboot',
        payload: { delay: 5 },
        responseTimeoutInSeconds: 30,
      },
      queryCondition: "deviceId IN ['dev1','dev2']",
      maxExecutionTimeInSeconds: 3600,
    });
  });

  it('keeps a twin job by query condition, etag defaulting to *', () => {
    assert.deepEqual(parseJobCreateRequest(twinBody), {
      type: 'scheduleUpdateTwin',
      updateTwin: { etag: '*', tags: { site: 'berlin' }, properties: { desired: { fw: '1.2' } } },
      queryCondition: "tags.site = 'x'",
      maxExecutionTimeInSeconds: 3600,
    });
  });

  it('normalises the start time to UTC', () => {
    const spec = parseJobCreateRequest({ ...twinBody, startTime: '2026-05-01T04:00:00+02:00' });
    assert.equal(spec.startTime, '2026-05-01T02:00:00.000Z');
  });

  it('refuses start times that are not real instants or lack an offset', () => {
    for (const startTime of [
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-05-01T25:00:00Z',
      '2026-05-01T02:00:00',
      'tomorrow',
      1767225600,
    ]) {
      assert.deepEqual(fieldsOf({ ...twinBody, startTime }), ['startTime'], String(startTime));
    }
    assert.doesNotThrow(() =>
      parseJobCreateRequest({ ...twinBody, startTime: '2028-02-29T00:00:00Z' }),
    );
  });

  it('names unknown fields, at the top and inside nested objects', () => {
    const body = {
      ...methodBody,
      cloudToDeviceMethod: { methodName: 'm', extra: 1 },
      jobId: 'x',
      dryRun: true,
    };
    assert.deepEqual(fieldsOf(body).sort(), ['cloudToDeviceMethod.extra', 'dryRun', 'jobId']);
  });

  it('names an unknown or missing type', () => {
    assert.deepEqual(fieldsOf({ ...methodBody, type: 'scheduleTwinUpdate' }), ['type']);
    assert.deepEqual(fieldsOf({ deviceIds: ['a'] }), ['type']);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, 'x', 3, [methodBody]]) assert.deepEqual(fieldsOf(body), ['body']);
  });

  it('requires the part that matches the type and refuses the other', () => {
    assert.deepEqual(fieldErrors({ type: 'scheduleDeviceMethod', deviceIds: ['a'] }), [
      { field: 'cloudToDeviceMethod', message: 'is required when type is scheduleDeviceMethod' },
    ]);
    assert.deepEqual(fieldsOf({ ...methodBody, updateTwin: twinBody.updateTwin }), ['updateTwin']);
    assert.deepEqual(
      fieldsOf({ ...twinBody, cloudToDeviceMethod: methodBody.cloudToDeviceMethod }),
      ['cloudToDeviceMethod'],
    );
  });

  it('needs exactly one of queryCondition and deviceIds', () => {
    assert.deepEqual(fieldsOf({ ...methodBody, queryCondition: '*' }), ['deviceIds']);
    const { deviceIds: _ids, ...noTargets } = methodBody;
    assert.deepEqual(fieldErrors(noTargets), [
      { field: 'queryCondition', message: 'queryCondition or deviceIds is required' },
    ]);
  });

  it('checks method timeouts against 5-300 and 0-300 seconds', () => {
    const withTimeouts = (
      responseTimeoutInSeconds: unknown,
      connectTimeoutInSeconds: unknown,
    ): string[] =>
      fieldsOf({
        ...methodBody,
        cloudToDeviceMethod: { methodName: 'm', responseTimeoutInSeconds, connectTimeoutInSeconds },
      });
    assert.deepEqual(withTimeouts(4, -1), [
      'cloudToDeviceMethod.responseTimeoutInSeconds',
      'cloudToDeviceMethod.connectTimeoutInSeconds',
    ]);
    assert.deepEqual(withTimeouts(301, 301), [
      'cloudToDeviceMethod.responseTimeoutInSeconds',
      'cloudToDeviceMethod.connectTimeoutInSeconds',
    ]);
    assert.deepEqual(withTimeouts(7.5, '3'), [
      'cloudToDeviceMethod.responseTimeoutInSeconds',
      'cloudToDeviceMethod.connectTimeoutInSeconds',
    ]);
    const spec = parseJobCreateRequest({
      ...methodBody,
      cloudToDeviceMethod: {
        methodName: 'm',
        responseTimeoutInSeconds: 5,
        connectTimeoutInSeconds: 0,
      },
    });
    assert.deepEqual(spec.cloudToDeviceMethod, {
      methodName: 'm',
      responseTimeoutInSeconds: 5,
      connectTimeoutInSeconds: 0,
    });
  });

  it('refuses method names with characters the hub forbids', () => {
    for (const methodName of ['re boot', 'a$b', 'a/b', 'a:b', 'a\tb', 'naïve', '']) {
      const errors = fieldErrors({ ...methodBody, cloudToDeviceMethod: { methodName } });
      assert.deepEqual(
        errors.map((e) => e.field),
        ['cloudToDeviceMethod.methodName'],
        methodName,
      );
    }
    assert.doesNotThrow(() =>
      parseJobCreateRequest({
        ...methodBody,
        cloudToDeviceMethod: { methodName: "fw.update_v2-'x'!#" },
      }),
    );
  });

  it('caps the method payload at 128 KB serialised', () => {
    const payloadOf = (length: number): string => 'x'.repeat(length - 2);
    assert.doesNotThrow(() =>
      parseJobCreateRequest({
        ...methodBody,
        cloudToDeviceMethod: { methodName: 'm', payload: payloadOf(131072) },
      }),
    );
    const errors = fieldErrors({
      ...methodBody,
      cloudToDeviceMethod: { methodName: 'm', payload: payloadOf(131073) },
    });
    assert.deepEqual(errors, [
      {
        field: 'cloudToDeviceMethod.payload',
        message: "is 131073 bytes as JSON, over IoT Hub's limit of 131072",
      },
    ]);
  });

  it('names bad twin keys by their full path', () => {
    const desired = { 'a b': 1, nested: { 'x.y': 2, $version: 3 } };
    const errors = fieldErrors({
      ...twinBody,
      updateTwin: { properties: { desired }, tags: { 'c:d': 1 } },
    });
    assert.deepEqual(errors.map((e) => e.field).sort(), [
      'updateTwin.properties.desired.a b',
      'updateTwin.properties.desired.nested.$version',
      'updateTwin.properties.desired.nested.x.y',
      'updateTwin.tags.c:d',
    ]);
  });

  it('refuses a __proto__ twin key rather than losing it', () => {
    const body = JSON.parse(
      '{"type":"scheduleUpdateTwin","queryCondition":"*","updateTwin":{"tags":{"__proto__":{"x":1},"a":{"__proto__":1}}}}',
    ) as unknown;
    assert.deepEqual(fieldsOf(body).sort(), [
      'updateTwin.tags.__proto__',
      'updateTwin.tags.a.__proto__',
    ]);
  });

  it('needs tags or desired properties in a twin update', () => {
    for (const updateTwin of [{}, { tags: {} }, { etag: '*', properties: {} }]) {
      assert.deepEqual(fieldsOf({ ...twinBody, updateTwin }), ['updateTwin']);
    }
  });

  it('refuses duplicate device ids and device ids with a quote, by index', () => {
    const errors = fieldErrors({ ...methodBody, deviceIds: ['a', "b'c", 'a'] });
    assert.deepEqual(errors.map((e) => e.field).sort(), ['deviceIds.1', 'deviceIds.2']);
    assert.match(errors.find((e) => e.field === 'deviceIds.1')?.message ?? '', /quote/);
    assert.deepEqual(fieldsOf({ ...methodBody, deviceIds: [] }), ['deviceIds']);
  });

  it('refuses a device list whose query would exceed 8192 characters', () => {
    const deviceIds = Array.from({ length: 700 }, (_, i) => `device-${i}`);
    const errors = fieldErrors({ ...methodBody, deviceIds });
    assert.equal(errors[0]?.field, 'deviceIds');
    assert.match(errors[0]?.message ?? '', /over IoT Hub's limit of 8192/);
  });

  it('refuses an empty or oversize query condition and a non-positive max execution time', () => {
    assert.deepEqual(fieldsOf({ ...twinBody, queryCondition: ' ' }), ['queryCondition']);
    assert.deepEqual(fieldsOf({ ...twinBody, queryCondition: '' }), ['queryCondition']);
    assert.deepEqual(fieldsOf({ ...twinBody, queryCondition: 'x'.repeat(8165) }), [
      'queryCondition',
    ]);
    assert.deepEqual(fieldsOf({ ...twinBody, maxExecutionTimeInSeconds: 0 }), [
      'maxExecutionTimeInSeconds',
    ]);
  });

  it('refuses a payload nested absurdly deep instead of overflowing the stack', () => {
    let payload: unknown = 1;
    for (let level = 0; level < 200_000; level += 1) payload = [payload];
    const errors = fieldErrors({
      ...methodBody,
      cloudToDeviceMethod: { methodName: 'm', payload },
    });
    assert.deepEqual(errors, [
      {
        field: 'cloudToDeviceMethod.payload.0',
        message: 'nests objects or arrays deeper than 100 levels',
      },
    ]);
  });

  it('reports every bad field of one body at once', () => {
    const body = {
      type: 'scheduleDeviceMethod',
      cloudToDeviceMethod: { methodName: 'a b', responseTimeoutInSeconds: 1 },
      deviceIds: ["q'"],
      startTime: 'never',
      extra: 1,
    };
    assert.deepEqual(fieldsOf(body).sort(), [
      'cloudToDeviceMethod.methodName',
      'cloudToDeviceMethod.responseTimeoutInSeconds',
      'deviceIds.0',
      'extra',
      'startTime',
    ]);
  });
});

describe('parseJobId', () => {
  it('accepts 1-64 letters, digits and dashes and names the field otherwise', () => {
    assert.equal(parseJobId('job-1'), 'job-1');
    assert.equal(parseJobId('a'.repeat(64)), 'a'.repeat(64));
    for (const bad of ['', 'a'.repeat(65), 'job 1', 'job_1', 'job/1', 'jöb', undefined]) {
      assert.throws(
        () => parseJobId(bad),
        (error: unknown) => error instanceof ValidationError && error.errors[0]?.field === 'jobId',
      );
    }
  });
});

describe('toJobResource', () => {
  const job: StoredJob = {
    jobId: 'j-1',
    spec: parseJobCreateRequest(methodBody),
    requestHash: 'hash',
    status: 'running',
    statusMessage: 'running on 2 devices',
    statistics: { ...emptyStatistics, deviceCount: 2, runningCount: 2 },
    createdAt: '2026-05-01T00:00:00.000Z',
    updatedAt: '2026-05-01T00:01:00.000Z',
    submittedAt: '2026-05-01T00:00:01.000Z',
    submitAttempts: 1,
    cancelRequested: false,
    resultsImport: { phase: 'failed', imported: 0 },
    revision: 'W/"1"',
  };

  it('shows the job without hubjobs bookkeeping and matches jobResourceSchema', () => {
    const resource = toJobResource(job);
    assert.equal(jobResourceSchema.safeParse(resource).success, true);
    for (const hidden of ['revision', 'requestHash', 'submitAttempts', 'resultsImport', 'spec']) {
      assert.equal(hidden in resource, false, hidden);
    }
    assert.equal(resource.queryCondition, "deviceId IN ['dev1','dev2']");
    assert.equal(resource.statusMessage, 'running on 2 devices');
    assert.equal('endedAt' in resource, false);
    assert.equal('deviceResults' in resource, false, 'not before the job has ended');
  });

  it("shows how far the import of an ended job's device results has come", () => {
    const ended: Job = { ...job, status: 'completed', endedAt: '2026-05-01T00:02:00.000Z' };
    const importing = toJobResource({ ...ended, resultsImport: { phase: 'others', imported: 1 } });
    assert.deepEqual(importing.deviceResults, { imported: 1, complete: false });
    const done = toJobResource({ ...ended, resultsImport: { phase: 'done', imported: 2 } });
    assert.deepEqual(done.deviceResults, { imported: 2, complete: true });
    const { resultsImport: _none, ...notStarted } = ended;
    assert.deepEqual(toJobResource(notStarted).deviceResults, { imported: 0, complete: false });
    assert.equal(jobResourceSchema.safeParse(done).success, true);
  });

  it('copies the statistics rather than sharing them', () => {
    const plain: Job = { ...job };
    const resource = toJobResource(plain);
    resource.statistics.deviceCount = 99;
    assert.equal(plain.statistics.deviceCount, 2);
  });
});
