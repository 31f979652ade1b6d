import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { fromJsonProperties } from '../../src/storage/chunkedJson';
import { poisonQueueName, TablePoisonSink } from '../../src/storage/TablePoisonSink';
import { uniquePrefix, useAzuriteStorage } from './storageFixtures';

describe('TablePoisonSink', () => {
  const clients = useAzuriteStorage();

  const setUp = () => {
    const prefix = uniquePrefix();
    const queueName = `${prefix}-requests`;
    const receivedAt = new Date('2030-01-01T00:00:00.000Z');
    const sink = new TablePoisonSink({
      queueName,
      poisonQueue: () => clients().queue(poisonQueueName(queueName)),
      poisonTable: () => clients().table(`${prefix}poison`),
      clock: { now: () => receivedAt },
    });
    const poisonTexts = async (): Promise<string[]> => {
      const poison = await clients().queue(`${queueName}-poison`);
      const { receivedMessageItems } = await poison.receiveMessages({ numberOfMessages: 32 });
      return receivedMessageItems.map((item) => item.messageText);
    };
    const rows = async (): Promise<Record<string, unknown>[]> => {
      const table = await clients().table(`${prefix}poison`);
      const found = [];
      for await (const row of table.listEntities<Record<string, unknown>>()) found.push(row);
      return found;
    };
    return { sink, queueName, receivedAt, poisonTexts, rows };
  };

  it('copies decoded text to <queue>-poison as base64 and records its errors by message id', async () => {
    const { sink, queueName, receivedAt, poisonTexts, rows } = setUp();
    const raw = '{"schemaVersion":2,"kind":"submitJob","jobId":"é/1"} trailing';
    const errors = ['schemaVersion: expected 1', 'body: not JSON'];

    await sink.reject('msg/1', { form: 'decoded', text: raw }, errors);

    assert.deepEqual(
      (await poisonTexts()).map((text) => Buffer.from(text, 'base64').toString('utf8')),
      [raw],
    );
    const [row, ...others] = await rows();
    assert.equal(others.length, 0);
    assert.equal(row?.messageId, 'msg/1');
    assert.equal(row?.queueName, queueName);
    assert.equal(row?.receivedAt, receivedAt.toISOString());
    assert.deepEqual(fromJsonProperties(row ?? {}, 'errors'), errors);
  });

  it('copies a stored message text verbatim, so random bytes come back byte-identical', async () => {
    const { sink, poisonTexts } = setUp();
    const stored = randomBytes(48).toString('base64');

    await sink.reject('msg-2', { form: 'stored', text: stored }, ['message: must be an object']);

    assert.deepEqual(await poisonTexts(), [stored]);
  });

  it('explains a message in the table without copying it', async () => {
    const { sink, poisonTexts, rows } = setUp();

    await sink.explain('msg-3', ['unknown kind "startRollout"']);

    assert.deepEqual(await poisonTexts(), []);
    const found = await rows();
    assert.deepEqual(
      found.map((row) => [row.messageId, fromJsonProperties(row, 'errors')]),
      [['msg-3', ['unknown kind "startRollout"']]],
    );
  });
});
