import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnLocalHost } from '../../dev/host/spawnLocalHost';

describe('start-up of the app in the local host', () => {
  it('fails, naming each missing or malformed setting, before anything listens', async () => {
    const secretKey = 'c2VjcmV0LWtleS1mb3ItdGhlLXRlc3Q=';
    await assert.rejects(
      spawnLocalHost({
        env: {
          HOST_PORT: '0',
          HUB_TIER: 'S9',
          // Malformed: no SharedAccessKeyName. The key must not appear in the message.
          IOTHUB_CONNECTION_STRING: `HostName=localhost;SharedAccessKey=${secretKey}`,
        },
      }),
      (error: Error) => {
        assert.match(error.message, /exited \(code 1\)/);
        assert.match(error.message, /Start-up failed: .*HUB_TIER must be one of/);
        assert.match(error.message, /IOTHUB_CONNECTION_STRING is malformed/);
        assert.doesNotMatch(error.message, new RegExp(secretKey.slice(0, 12)));
        return true;
      },
    );
  });

  it('fails, naming the setting, when a required one is missing', async () => {
    await assert.rejects(
      spawnLocalHost({ env: { HOST_PORT: '0', AzureWebJobsStorage: '' } }),
      (error: Error) => {
        assert.match(error.message, /exited \(code 1\)/);
        assert.match(error.message, /Start-up failed: .*AzureWebJobsStorage/);
        return true;
      },
    );
  });
});
