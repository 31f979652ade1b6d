import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxMethodNameLength, propertyNameProblem } from '../../src/core/hubPropertyName';
import { cloudToDeviceMethodSchema } from '../../src/core/operationSchemas';

describe('methodName length', () => {
  it('takes a method name of 128 characters, the most the service SDKs allow', () => {
    assert.equal(maxMethodNameLength, 128);
    const parsed = cloudToDeviceMethodSchema.safeParse({ methodName: 'm'.repeat(128) });
    assert.equal(parsed.success, true);
  });

  it('refuses one of 129 characters, and one of 100,000, saying how long it is', () => {
    for (const length of [129, 100_000]) {
      const parsed = cloudToDeviceMethodSchema.safeParse({ methodName: 'm'.repeat(length) });
      assert.equal(parsed.success, false);
      assert.deepEqual(
        parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message]),
        [['methodName', `is ${length} characters long; IoT Hub's service SDKs allow at most 128`]],
      );
    }
  });

  it('still names a forbidden character before the length', () => {
    assert.match(propertyNameProblem(`${'m'.repeat(200)} x`, 'methodName') ?? '', /a space/);
  });
});
