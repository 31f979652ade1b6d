import { after, describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseHostJson, parseTimeSpan, readHostJson } from '../../dev/host/hostJson';
import { maxDequeueCount, readMaxDequeueCount } from '../../src/functions/hostQueueConfig';

describe('parseTimeSpan', () => {
  it('reads hh:mm:ss with optional days and fraction', () => {
    assert.equal(parseTimeSpan('00:00:30'), 30_000);
    assert.equal(parseTimeSpan('01:02:03'), 3_723_000);
    assert.equal(parseTimeSpan('1.00:00:00'), 86_400_000);
    assert.equal(parseTimeSpan('00:00:00.250'), 250);
  });

  it('refuses anything else', () => {
    assert.throws(() => parseTimeSpan('30s'), /not a TimeSpan/);
  });
});

describe('parseHostJson', () => {
  it('applies the Functions runtime defaults when queues are not configured', () => {
    const config = parseHostJson({ version: '2.0' });
    assert.equal(config.routePrefix, 'api');
    assert.deepEqual(config.queues, {
      batchSize: 16,
      newBatchThreshold: 8,
      maxDequeueCount: 5,
      visibilityTimeoutMs: 0,
      messageEncoding: 'base64',
    });
  });

  it('reads the route prefix and queue settings', () => {
    const config = parseHostJson({
      version: '2.0',
      extensions: {
        http: { routePrefix: '/v1/' },
        queues: {
          batchSize: 4,
          maxDequeueCount: 2,
          visibilityTimeout: '00:00:05',
          messageEncoding: 'none',
        },
      },
    });
    assert.equal(config.routePrefix, 'v1');
    assert.equal(config.queues.newBatchThreshold, 2);
    assert.equal(config.queues.visibilityTimeoutMs, 5000);
    assert.equal(config.queues.messageEncoding, 'none');
  });

  it('names the offending key when host.json is invalid', () => {
    assert.throws(
      () => parseHostJson({ version: '2.0', extensions: { queues: { batchSize: 64 } } }),
      /extensions\.queues\.batchSize/,
    );
    assert.throws(() => parseHostJson({ version: '1.0' }), /version/);
  });
});

describe('the repository host.json', () => {
  const hostJson = readHostJson(path.join(__dirname, '../../host.json'));

  it('serves HTTP functions under /api', () => {
    assert.equal(hostJson.routePrefix, 'api');
  });

  it('moves a message to poison after 5 attempts and reads base64 messages', () => {
    assert.equal(hostJson.queues.maxDequeueCount, 5);
    assert.equal(hostJson.queues.messageEncoding, 'base64');
  });

  it('gives the app the same maxDequeueCount the hosts read', () => {
    assert.equal(maxDequeueCount(), hostJson.queues.maxDequeueCount);
  });
});

describe('readMaxDequeueCount', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostjson-'));
  const write = (content: unknown): string => {
    const file = path.join(dir, `host-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(content));
    return file;
  };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads extensions.queues.maxDequeueCount, with the runtime default when absent', () => {
    assert.equal(readMaxDequeueCount(write({ extensions: { queues: { maxDequeueCount: 2 } } })), 2);
    assert.equal(
      readMaxDequeueCount(write({ version: '2.0' })),
      parseHostJson({ version: '2.0' }).queues.maxDequeueCount,
    );
  });

  it('refuses a value that is not a positive integer', () => {
    for (const bad of [0, 1.5, '3']) {
      assert.throws(
        () => readMaxDequeueCount(write({ extensions: { queues: { maxDequeueCount: bad } } })),
        /maxDequeueCount must be a positive integer/,
      );
    }
  });
});
