import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromJsonProperties } from '../../src/storage/chunkedJson';
import { poisonQueueName, TablePoisonSink } from '../../src/storage/TablePoisonSink';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

describe('TablePoisonSink', () => {
  const clients = useAzuriteStorage();

  it('moves the raw message unchanged to <queue>-poison and records its errors by message id', async () => {
    const prefix = uniquePrefix();
    const queueName = `${prefix}-requests`;
    const receivedAt = new Date('2030-01-01T00:00:00.000Z');
    const sink = new TablePoisonSink({
      queueName,
      poisonQueue: () => clients().queue(poisonQueueName(queueName)),
      poisonTable: () => clients().table(`${prefix}poison`),
      clock: { now: () => receivedAt },
    });
    const raw = '{"schemaVersion":2,"kind":"submitJob","jobId":"é/1"} trailing';
    const errors = ['schemaVersion: expected 1', 'body: not JSON'];

    await sink.reject('msg/1', raw, errors);

    const poison = await clients().queue(`${queueName}-poison`);
    const { receivedMessageItems } = await poison.receiveMessages({ numberOfMessages: 32 });
    assert.deepEqual(
      receivedMessageItems.map((item) => Buffer.from(item.messageText, 'base64').toString('utf8')),
      [raw],
    );
    const table = await clients().table(`${prefix}poison`);
    const rows = [];
    for await (const row of table.listEntities<Record<string, unknown>>()) rows.push(row);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.messageId, 'msg/1');
    assert.equal(rows[0]?.queueName, queueName);
    assert.equal(rows[0]?.receivedAt, receivedAt.toISOString());
    assert.deepEqual(fromJsonProperties(rows[0] ?? {}, 'errors'), errors);
  });
});
