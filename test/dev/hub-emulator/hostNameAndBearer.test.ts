import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { startHubEmulator, type RunningHubEmulator } from '../../../dev/hub-emulator/server';
import { createHubClients } from '../../../src/hub/createHubClients';
import { bindSkipReason } from './support/bindFailure';
import { assertHubError } from './support/hubAssertions';
import type { HubJob } from './support/hubShapes';
import { sdkFailure, startTestHub, type TestHub } from './support/startTestHub';
import { testCertDir } from './support/testCertDir';
import { waitFor } from './support/waitFor';

const runFile = promisify(execFile);
const plainSdkCalls = path.join(__dirname, 'fixtures', 'plainSdkCalls.ts');

/** The running hub, or why port 443 cannot be had here (in use, or no right to bind it). */
async function startOnPort443(): Promise<RunningHubEmulator | { skip: string }> {
  try {
    return await startHubEmulator({ port: 443, devices: 3, tier: 'S3', certDir: testCertDir });
  } catch (error) {
    const reason = bindSkipReason(error, 443);
    if (reason === undefined) throw error;
    return { skip: reason };
  }
}

describe('unmodified SDK code at HostName=localhost on port 443', () => {
  it('schedules and completes a job with only NODE_EXTRA_CA_CERTS set', async (t) => {
    const hub = await startOnPort443();
    if ('skip' in hub) {
      t.skip(hub.skip);
      return;
    }
    try {
      assert.match(hub.connectionString, /^HostName=localhost;/);
      const { stdout } = await runFile(
        process.execPath,
        ['--import', 'tsx', plainSdkCalls, hub.connectionString],
        { env: { NODE_EXTRA_CA_CERTS: hub.caFile }, timeout: 60_000 },
      );
      const seen = JSON.parse(stdout) as Record<string, unknown>;
      assert.deepEqual(seen, {
        createdStatus: 'queued',
        finalStatus: 'completed',
        statistics: {
          deviceCount: 2,
          failedCount: 0,
          succeededCount: 2,
          runningCount: 0,
          pendingCount: 0,
        },
        twinDeviceId: 'device-00001',
      });
    } finally {
      await hub.close();
    }
  });
});

class FakeTokenCredential implements TokenCredential {
  readonly scopes: string[] = [];
  getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return Promise.resolve({ token: 'FAKE.JWT.TOKEN', expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}

describe('the bearer path through createHubClients', () => {
  const hubs: TestHub[] = [];
  after(() => Promise.all(hubs.map((hub) => hub.close())));

  const bearerClients = (hub: TestHub, credential: TokenCredential) =>
    createHubClients({
      hostName: hub.hub.hostName,
      credential,
      endpoint: hub.hub.endpoint,
      ca: hub.ca,
    });

  it('runs a job and reads a twin with a token credential', async () => {
    const hub = await startTestHub({ devices: 2 });
    hubs.push(hub);
    const credential = new FakeTokenCredential();
    const { jobClient, registry } = bearerClients(hub, credential);
    await jobClient.scheduleDeviceMethod('bearer-job', '*', { methodName: 'lockDoor' });
    const job = await waitFor('the bearer job', async () => {
      const current = (await jobClient.getJob('bearer-job')).jobStatus as HubJob;
      return current.status === 'completed' ? current : undefined;
    });
    assert.equal(job.deviceJobStatistics.succeededCount, 2);
    assert.equal((await registry.getTwin('device-00002')).responseBody.deviceId, 'device-00002');
    assert.ok(credential.scopes.includes('https://iothubs.azure.net/.default'));
  });

  it('refuses bearer tokens with 401 when acceptBearer is off', async () => {
    const hub = await startTestHub({ devices: 1, acceptBearer: false });
    hubs.push(hub);
    const { registry } = bearerClients(hub, new FakeTokenCredential());
    const error = await sdkFailure(registry.getTwin('device-00001'));
    assertHubError(error, 401, 401002, 'IotHubUnauthorizedAccess');
    assert.ok(!String(error.responseBody).includes('FAKE.JWT.TOKEN'));
  });
});
