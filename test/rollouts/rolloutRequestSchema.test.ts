import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type FieldError } from '../../src/core/errors';
import {
  parseRolloutId,
  parseRolloutRequest,
  reservedContainerRule,
  rolloutListQuerySchema,
} from '../../src/rollouts/rolloutRequestSchema';

const rules = reservedContainerRule({
  ownContainers: ['hubjobs-rollouts'],
  deploymentContainer: 'app-package-hubjobs',
});
const method = { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot' } };
const twin = {
  type: 'scheduleUpdateTwin',
  updateTwin: { properties: { desired: { tariff: 'B' } } },
};
const byIds = { operation: method, targets: { deviceIds: ['m1', 'm2'] } };

function fieldErrors(body: unknown): FieldError[] {
  try {
    parseRolloutRequest(body, rules);
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.errors;
  }
  assert.fail(`accepted ${JSON.stringify(body)?.slice(0, 200)}`);
}

const fieldsOf = (body: unknown): string[] => fieldErrors(body).map((e) => e.field);
const withTargets = (targets: unknown) => ({ operation: method, targets });

describe('parseRolloutRequest', () => {
  it('answers a method rollout by ids with the job defaults and dryRun false', () => {
    assert.deepEqual(parseRolloutRequest(byIds, rules), {
      operation: {
        type: 'scheduleDeviceMethod',
        cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 30 },
      },
      targets: { kind: 'deviceIds', deviceIds: ['m1', 'm2'] },
      maxExecutionTimeInSeconds: 3600,
      dryRun: false,
    });
  });

  it('keeps a twin operation, each kind of waves, the start time in UTC and dryRun', () => {
    const request = parseRolloutRequest(
      {
        operation: twin,
        targets: { queryCondition: "tags.site = 'berlin'" },
        waves: { groups: ["tags.ring = 'canary'", "tags.ring = 'broad'"] },
        startTime: '2026-05-01T04:00:00+02:00',
        maxExecutionTimeInSeconds: 600,
        dryRun: true,
      },
      rules,
    );
    assert.deepEqual(request.targets, {
      kind: 'queryCondition',
      queryCondition: "tags.site = 'berlin'",
    });
    assert.equal(request.operation.updateTwin?.etag, '*');
    assert.deepEqual(request.waves, { groups: ["tags.ring = 'canary'", "tags.ring = 'broad'"] });
    assert.equal(request.startTime, '2026-05-01T02:00:00.000Z');
    assert.equal(request.maxExecutionTimeInSeconds, 600);
    assert.equal(request.dryRun, true);
    assert.deepEqual(parseRolloutRequest({ ...byIds, waves: { count: 5 } }, rules).waves, {
      count: 5,
    });
    assert.deepEqual(parseRolloutRequest({ ...byIds, waves: { percent: 2.5 } }, rules).waves, {
      percent: 2.5,
    });
  });

  it('de-duplicates ids, keeping the first occurrence and the order', () => {
    const request = parseRolloutRequest(
      withTargets({ deviceIds: ['b', 'a', 'b', 'c', 'a'] }),
      rules,
    );
    assert.deepEqual(request.targets, { kind: 'deviceIds', deviceIds: ['b', 'a', 'c'] });
  });

  it('names each bad id by its index and says what is wrong with it', () => {
    const errors = fieldErrors(withTargets({ deviceIds: ['ok', "o'brien", 7, ''] }));
    assert.deepEqual(
      errors.map((e) => e.field),
      ['targets.deviceIds.1', 'targets.deviceIds.2', 'targets.deviceIds.3'],
    );
    assert.match(errors[0]!.message, /quote/);
    assert.equal(errors[1]!.message, 'must be a string');
    assert.equal(errors[2]!.message, 'must not be empty');
  });

  it('lists at most 20 bad ids and one summary line for the rest', () => {
    const deviceIds = Array.from({ length: 1000 }, (_, i) => `bad id ${i}`);
    const errors = fieldErrors(withTargets({ deviceIds }));
    assert.equal(errors.length, 21);
    assert.equal(errors[19]!.field, 'targets.deviceIds.19');
    assert.deepEqual(errors[20], {
      field: 'targets.deviceIds',
      message: 'and 980 more device ids with problems (the first 20 are listed)',
    });
  });

  it('parses 1,000,000 ids, de-duplicated, and a million bad ones into 21 errors', () => {
    const deviceIds = Array.from({ length: 1_000_000 }, (_, i) => `d${i % 999_990}`);
    const request = parseRolloutRequest(withTargets({ deviceIds }), rules);
    assert.ok(request.targets.kind === 'deviceIds');
    assert.equal(request.targets.deviceIds.length, 999_990, 'the last ten repeat the first ten');
    const errors = fieldErrors(withTargets({ deviceIds: new Array(1_000_000).fill(0) }));
    assert.equal(errors.length, 21);
    assert.equal(errors[0]!.field, 'targets.deviceIds.0');
    assert.equal(
      errors[20]!.message,
      'and 999980 more device ids with problems (the first 20 are listed)',
    );
  });

  it('refuses an id list that is empty, not an array, or over 1,000,000', () => {
    assert.deepEqual(fieldErrors(withTargets({ deviceIds: [] })), [
      { field: 'targets.deviceIds', message: 'must hold at least one device id' },
    ]);
    assert.deepEqual(fieldsOf(withTargets({ deviceIds: 'm1' })), ['targets.deviceIds']);
    const tooMany = fieldErrors(withTargets({ deviceIds: new Array(1_000_001).fill('m') }));
    assert.match(tooMany[0]!.message, /over the limit of 1000000/);
  });

  it('wants exactly one target', () => {
    assert.deepEqual(fieldErrors(withTargets({})), [
      { field: 'targets', message: 'needs one of queryCondition, deviceIds or deviceIdsBlob' },
    ]);
    const both = fieldErrors(withTargets({ queryCondition: 'x = 1', deviceIdsBlob: 'lists/a' }));
    assert.equal(
      both[0]!.message,
      'takes one of queryCondition, deviceIds or deviceIdsBlob, not queryCondition and deviceIdsBlob',
    );
    assert.deepEqual(fieldsOf({ operation: method }), ['targets']);
    assert.deepEqual(fieldsOf(withTargets({ deviceIds: ['a'], extra: 1 })), ['targets.extra']);
  });

  it('checks a query condition target as a job does', () => {
    assert.deepEqual(fieldsOf(withTargets({ queryCondition: ' ' })), ['targets.queryCondition']);
    assert.deepEqual(fieldsOf(withTargets({ queryCondition: "tags.a = 'x" })), [
      'targets.queryCondition',
    ]);
  });

  it('accepts a blob reference of a container of the app and a blob name', () => {
    const request = parseRolloutRequest(
      withTargets({ deviceIdsBlob: 'meter-lists/2026/tariff-b.txt' }),
      rules,
    );
    assert.deepEqual(request.targets, {
      kind: 'deviceIdsBlob',
      deviceIdsBlob: 'meter-lists/2026/tariff-b.txt',
    });
  });

  it('refuses malformed blob references without quoting them', () => {
    const sasUrl = 'https://acct.blob.core.windows.net/lists/a.txt?sv=2024&sig=SECRET';
    for (const reference of [
      'no-slash',
      'Upper/a',
      'a--b/c',
      'ab/',
      `abc/${'n'.repeat(1025)}`,
      sasUrl,
    ]) {
      const errors = fieldErrors(withTargets({ deviceIdsBlob: reference }));
      assert.deepEqual(
        errors.map((e) => e.field),
        ['targets.deviceIdsBlob'],
        reference,
      );
      assert.ok(!errors[0]!.message.includes(reference), errors[0]!.message);
    }
    assert.match(fieldErrors(withTargets({ deviceIdsBlob: sasUrl }))[0]!.message, /not a URL/);
  });

  it("refuses the Functions host's containers, the deployment container and hubjobs' own", () => {
    for (const container of [
      'azure-webjobs-hosts',
      'azure-webjobs-secrets',
      'app-package-hubjobs',
      'hubjobs-rollouts',
    ]) {
      const errors = fieldErrors(withTargets({ deviceIdsBlob: `${container}/ids.txt` }));
      assert.equal(errors[0]!.field, 'targets.deviceIdsBlob');
      assert.match(errors[0]!.message, new RegExp(`"${container}".*container of your own`));
    }
  });

  it('checks the operation with the job rules, under operation.', () => {
    assert.deepEqual(fieldsOf({ ...byIds, operation: { type: 'reboot' } }), ['operation.type']);
    assert.deepEqual(fieldsOf({ ...byIds, operation: undefined }), ['operation']);
    assert.deepEqual(fieldsOf({ ...byIds, operation: { type: 'scheduleDeviceMethod' } }), [
      'operation.cloudToDeviceMethod',
    ]);
    assert.deepEqual(
      fieldsOf({ ...byIds, operation: { ...method, updateTwin: twin.updateTwin } }),
      ['operation.updateTwin'],
    );
    assert.deepEqual(fieldsOf({ ...byIds, operation: { ...method, queryCondition: 'a = 1' } }), [
      'operation.queryCondition',
    ]);
    const reservedKey = { type: 'scheduleUpdateTwin', updateTwin: { tags: { $version: 1 } } };
    assert.ok(
      fieldsOf({ ...byIds, operation: reservedKey }).includes('operation.updateTwin.tags.$version'),
    );
  });

  it('takes verify on a twin rollout and says why it cannot be used elsewhere, on field verify', () => {
    const verify = { reportedWithinSeconds: 300 };
    const twinWith = (desired: unknown) => ({
      ...byIds,
      operation: { type: 'scheduleUpdateTwin', updateTwin: { properties: { desired } } },
      verify,
    });
    const accepted = parseRolloutRequest(twinWith({ fw: { version: '2.1', delta: 3 } }), rules);
    assert.deepEqual(accepted.verify, verify);
    const messages = (body: unknown) =>
      fieldErrors(body).map((error) => `${error.field}: ${error.message}`);
    assert.match(messages({ ...byIds, verify }).join(), /^verify: verify applies to twin-update/);
    const tagsOnly = { type: 'scheduleUpdateTwin', updateTwin: { tags: { ring: 'early' } } };
    assert.match(messages({ ...byIds, operation: tagsOnly, verify }).join(), /no desired leaf/);
    assert.match(messages(twinWith({ fw: null })).join(), /properties\.desired\.fw: it is null/);
    assert.match(messages(twinWith({ fw: [1, 2] })).join(), /is an array/);
    assert.match(messages(twinWith({ fw: "it's" })).join(), /quote or a backslash/);
    assert.match(messages(twinWith({ 'fw-version': '2' })).join(), /letters, digits and _/);
    const huge = Object.fromEntries(
      Array.from({ length: 150 }, (_, i) => [`setting_number_${i}`, `value-${i}`]),
    );
    assert.match(messages(twinWith(huge)).join(), /leaving no room for a device id/);
    assert.deepEqual(fieldsOf({ ...twinWith({ a: 1 }), verify: { reportedWithinSeconds: 0 } }), [
      'verify.reportedWithinSeconds',
    ]);
    assert.deepEqual(fieldsOf({ ...twinWith({ a: 1 }), verify: { within: 5 } }), [
      'verify.reportedWithinSeconds',
      'verify.within',
    ]);
  });

  it('wants one kind of waves with a sensible size', () => {
    assert.deepEqual(fieldsOf({ ...byIds, waves: {} }), ['waves']);
    assert.deepEqual(fieldsOf({ ...byIds, waves: { count: 2, percent: 5 } }), ['waves']);
    assert.deepEqual(fieldsOf({ ...byIds, waves: { count: 0 } }), ['waves.count']);
    assert.deepEqual(fieldsOf({ ...byIds, waves: { count: 1.5 } }), ['waves.count']);
    assert.deepEqual(fieldsOf({ ...byIds, waves: { percent: 0 } }), ['waves.percent']);
    assert.deepEqual(fieldsOf({ ...byIds, waves: { percent: 101 } }), ['waves.percent']);
    assert.deepEqual(fieldsOf({ ...byIds, waves: { groups: [] } }), ['waves.groups']);
    assert.deepEqual(fieldsOf({ ...byIds, waves: { groups: new Array(101).fill('a = 1') } }), [
      'waves.groups',
    ]);
    assert.deepEqual(fieldsOf({ ...byIds, waves: { groups: ['a = 1', "b = 'x"] } }), [
      'waves.groups.1',
    ]);
    assert.deepEqual(fieldsOf({ ...byIds, waves: 3 }), ['waves']);
  });

  it('checks the time fields and dryRun, and refuses unknown fields', () => {
    assert.deepEqual(fieldsOf({ ...byIds, startTime: '2026-02-30T00:00:00Z' }), ['startTime']);
    assert.deepEqual(fieldsOf({ ...byIds, maxExecutionTimeInSeconds: 0 }), [
      'maxExecutionTimeInSeconds',
    ]);
    assert.deepEqual(fieldsOf({ ...byIds, dryRun: 'yes' }), ['dryRun']);
    assert.deepEqual(fieldsOf({ ...byIds, queryCondition: 'a = 1' }), ['queryCondition']);
    assert.deepEqual(fieldsOf([]), ['body']);
  });

  it('refuses a payload nested too deep, naming where', () => {
    let payload: unknown = 1;
    for (let depth = 0; depth < 150; depth++) payload = { a: payload };
    const deep = {
      ...byIds,
      operation: { ...method, cloudToDeviceMethod: { methodName: 'm', payload } },
    };
    const [error] = fieldErrors(deep);
    assert.equal(error?.field, 'operation.cloudToDeviceMethod.payload');
  });
});

describe('parseRolloutId', () => {
  it('takes 1 to 40 letters, digits and dashes', () => {
    assert.equal(parseRolloutId('tariff-B-2026'), 'tariff-B-2026');
    assert.equal(parseRolloutId('r'.repeat(40)), 'r'.repeat(40));
  });

  it('refuses anything else on field rolloutId', () => {
    for (const id of ['', 'r'.repeat(41), 'a_b', 'a b', 7]) {
      assert.throws(
        () => parseRolloutId(id),
        (error: unknown) =>
          error instanceof ValidationError && error.errors[0]?.field === 'rolloutId',
      );
    }
  });
});

describe('rolloutListQuerySchema', () => {
  it('reads the status filter and pages as the job list does', () => {
    assert.deepEqual(rolloutListQuerySchema.parse({ status: 'running', pageSize: '20' }), {
      status: 'running',
      pageSize: 20,
    });
    assert.equal(rolloutListQuerySchema.parse({}).pageSize, 100);
    assert.equal(rolloutListQuerySchema.safeParse({ status: 'queued' }).success, false);
    assert.equal(rolloutListQuerySchema.safeParse({ pageSize: '0x10' }).success, false);
    assert.equal(rolloutListQuerySchema.safeParse({ createdAfter: 'yesterday' }).success, false);
  });
});
