import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DequeuedMessageItem } from '@azure/storage-queue';
import { decodeMessageText, queueTriggerMetadata, tryJsonParse } from '../../dev/host/queueMessage';

describe('decodeMessageText', () => {
  it('decodes base64 to UTF-8 text', () => {
    const encoded = Buffer.from('{"jobId":"ä"}').toString('base64');
    assert.deepEqual(decodeMessageText(encoded, 'base64'), { ok: true, text: '{"jobId":"ä"}' });
  });

  it('ignores whitespace inside base64, like .NET', () => {
    assert.deepEqual(decodeMessageText('aGVs\nbG8=', 'base64'), { ok: true, text: 'hello' });
  });

  it('refuses text that is not base64', () => {
    assert.deepEqual(decodeMessageText('{"jobId":"x"}', 'base64'), { ok: false });
    assert.deepEqual(decodeMessageText('abc', 'base64'), { ok: false });
    assert.deepEqual(decodeMessageText('ab=c', 'base64'), { ok: false });
  });

  it('passes text through when the encoding is none', () => {
    assert.deepEqual(decodeMessageText('{"a":1}', 'none'), { ok: true, text: '{"a":1}' });
  });
});

describe('tryJsonParse', () => {
  it('returns parsed JSON, or the text when it is not JSON', () => {
    assert.deepEqual(tryJsonParse('{"a":[1]}'), { a: [1] });
    assert.equal(tryJsonParse('plain words'), 'plain words');
    assert.equal(tryJsonParse('42'), 42);
  });
});

describe('queueTriggerMetadata', () => {
  it('carries the message facts the Functions runtime provides, and the text as stored', () => {
    const at = (iso: string): Date => new Date(iso);
    const message: DequeuedMessageItem = {
      messageId: 'm1',
      popReceipt: 'p1',
      dequeueCount: 2,
      messageText: 'x',
      insertedOn: at('2025-01-01T00:00:00Z'),
      expiresOn: at('2025-01-08T00:00:00Z'),
      nextVisibleOn: at('2025-01-01T00:00:30Z'),
    };
    assert.deepEqual(queueTriggerMetadata(message), {
      id: 'm1',
      dequeueCount: 2,
      insertionTime: '2025-01-01T00:00:00.000Z',
      expirationTime: '2025-01-08T00:00:00.000Z',
      nextVisibleTime: '2025-01-01T00:00:30.000Z',
      popReceipt: 'p1',
      storedMessageText: 'x',
    });
  });
});
