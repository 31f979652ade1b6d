import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'azure-iothub';
import { createSharedAccessSignature } from '../../../dev/hub-emulator/http/auth';
import type { HubTier } from '../../../dev/hub-emulator/options';
import { createHubClients, redirectToEndpoint } from '../../../src/hub/createHubClients';
import { assertHubError } from './support/hubAssertions';
import { sasFor } from './support/rawHttps';
import { hubKeyOf, sdkFailure, startTestHub, type TestHub } from './support/startTestHub';

const hubs: TestHub[] = [];
async function hubFor(options: Parameters<typeof startTestHub>[0]) {
  const hub = await startTestHub(options);
  hubs.push(hub);
  return hub;
}
after(() => Promise.all(hubs.map((hub) => hub.close())));

const inAnHour = () => new Date(Date.now() + 3_600_000);
const lockDoor = { methodName: 'lockDoor' };

describe('tier limits', () => {
  const activeJobLimits: Array<[HubTier, number]> = [
    ['S1', 1],
    ['S2', 5],
    ['S3', 10],
  ];
  for (const [tier, limit] of activeJobLimits) {
    it(`refuses job ${limit + 1} on ${tier} with 429 429004 ThrottlingMaxActiveJobCountExceeded`, async () => {
      const { jobClient } = await hubFor({ tier, devices: 1 });
      for (let index = 1; index <= limit; index += 1) {
        await jobClient.scheduleDeviceMethod(`job-${index}`, '*', lockDoor, inAnHour(), 60);
      }
      const error = await sdkFailure(
        jobClient.scheduleDeviceMethod('one-too-many', '*', lockDoor, inAnHour(), 60),
      );
      assertHubError(error, 429, 429004, 'ThrottlingMaxActiveJobCountExceeded');
    });
  }

  it('throttles jobs operations over the rate with 429 429001 and Retry-After', async () => {
    const { jobClient } = await hubFor({ tier: 'S3', limits: { jobsOperationsPerMinute: 3 } });
    await jobClient.scheduleDeviceMethod('rated', '*', lockDoor);
    await jobClient.getJob('rated');
    await jobClient.getJob('rated');
    const error = await sdkFailure(jobClient.getJob('rated'));
    assertHubError(error, 429, 429001, 'ThrottlingException');
    assert.ok(Number(error.response?.headers['retry-after']) >= 1);
  });

  it('throttles the 21st query in a minute on S1 (20/min/unit) with 429 429001', async () => {
    const { registry } = await hubFor({ tier: 'S1', devices: 2 });
    const runQuery = () => {
      const query = registry.createQuery('SELECT * FROM devices', 10);
      return query.next(query.continuationToken);
    };
    for (let index = 0; index < 20; index += 1) await runQuery();
    assertHubError(await sdkFailure(runQuery()), 429, 429001, 'ThrottlingException');
  });
});

describe('hub errors', () => {
  let hub: TestHub;
  before(async () => {
    hub = await hubFor({ tier: 'S3', devices: 3 });
  });

  const invokeClient = () => {
    const client = Client.fromConnectionString(hub.hub.connectionString);
    redirectToEndpoint(client, hub.hub.endpoint, hub.ca);
    return client;
  };

  it('answers a duplicate job id with 409 409104 JobAlreadyExists', async () => {
    await hub.jobClient.scheduleDeviceMethod('same-id', '*', lockDoor, inAnHour(), 60);
    const error = await sdkFailure(hub.jobClient.scheduleDeviceMethod('same-id', '*', lockDoor));
    assertHubError(error, 409, 409104, 'JobAlreadyExists');
  });

  it('answers an unknown job with 404 404002 JobNotFound', async () => {
    assertHubError(
      await sdkFailure(hub.jobClient.getJob('no-such-job')),
      404,
      404002,
      'JobNotFound',
    );
  });

  it('answers an unknown device with 404 404001 DeviceNotFound', async () => {
    const error = await sdkFailure(hub.registry.getTwin('no-such-device'));
    assertHubError(error, 404, 404001, 'DeviceNotFound');
  });

  it('answers a method call to an offline device with 404 404103 DeviceNotOnline', async () => {
    await hub.admin.setDeviceOnline('device-00002', false);
    const error = await sdkFailure(invokeClient().invokeDeviceMethod('device-00002', lockDoor));
    assertHubError(error, 404, 404103, 'DeviceNotOnline');
  });

  it('answers a method payload over 128 KB with 413 413001 MessageTooLarge', async () => {
    const payload = { blob: 'x'.repeat(130 * 1024) };
    const error = await sdkFailure(
      invokeClient().invokeDeviceMethod('device-00001', { methodName: 'upload', payload }),
    );
    assertHubError(error, 413, 413001, 'MessageTooLarge');
  });

  it('answers a request body over 1 MiB with 413 413001', async () => {
    const body = JSON.stringify({
      query: `SELECT * FROM devices WHERE tags.x = '${'y'.repeat(1_100_000)}'`,
    });
    const headers = { authorization: sasFor(hubKeyOf(hub.hub)) };
    const response = await hub.raw('POST', '/devices/query?api-version=2021-04-12', headers, body);
    assertHubError(response, 413, 413001, 'MessageTooLarge');
  });

  it('answers unsupported query syntax with 400 GenericBadRequest naming the problem', async () => {
    const query = hub.registry.createQuery('SELECT deviceId FROM devices ORDER BY tags.ring');
    const error = await sdkFailure(query.next(query.continuationToken));
    assertHubError(error, 400, 400000, 'GenericBadRequest');
    assert.match(String(error.responseBody), /Unsupported syntax/);
  });

  it('answers a SAS signed with the wrong key with 401 401002 IotHubUnauthorizedAccess', async () => {
    const wrongKey = Buffer.alloc(32, 7).toString('base64');
    const { registry } = createHubClients({
      connectionString: `HostName=localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=${wrongKey}`,
      endpoint: hub.hub.endpoint,
      ca: hub.ca,
    });
    const error = await sdkFailure(registry.getTwin('device-00001'));
    assertHubError(error, 401, 401002, 'IotHubUnauthorizedAccess');
    assert.ok(!String(error.responseBody).includes(wrongKey));
  });

  it('answers an expired SAS with 401 401002', async () => {
    const expired = createSharedAccessSignature({
      resource: 'localhost',
      policyName: 'iothubowner',
      key: hubKeyOf(hub.hub),
      expiresAtSeconds: Math.floor(Date.now() / 1000) - 60,
    });
    const response = await hub.raw('GET', '/twins/device-00001?api-version=2021-04-12', {
      authorization: expired,
    });
    assertHubError(response, 401, 401002, 'IotHubUnauthorizedAccess');
    assert.ok(!response.text.includes('sig='));
  });

  it('answers a wrong api-version with 400 InvalidProtocolVersion', async () => {
    const headers = { authorization: sasFor(hubKeyOf(hub.hub)) };
    const response = await hub.raw('GET', '/twins/device-00001?api-version=2016-11-14', headers);
    assertHubError(response, 400, 400000, 'InvalidProtocolVersion');
  });
});

describe('the legacy error format', () => {
  it('answers ErrorCode:<Name>;<message>, which the SDK maps to its typed errors', async () => {
    const { registry } = await hubFor({ errorFormat: 'legacy', devices: 1 });
    const error = await sdkFailure(registry.getTwin('no-such-device'));
    assert.equal(error.name, 'DeviceNotFoundError');
    assert.equal(error.response?.statusCode, 404);
    assert.equal(error.response?.headers['iothub-errorcode'], 'DeviceNotFound');
    const body = JSON.parse(String(error.responseBody)) as { Message: string };
    assert.equal(body.Message, 'ErrorCode:DeviceNotFound;Device no-such-device not found.');
  });
});
