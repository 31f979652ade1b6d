import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, deviceResultCsvRow, deviceResultsCsv } from '../../src/jobs/deviceResultsCsv';
import type { DeviceResult } from '../../src/jobs/job';
import { InMemoryDeviceResultStore } from './support/inMemoryStores';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe('csvField', () => {
  it('quotes fields with commas, quotes or line breaks and doubles inner quotes (RFC 4180)', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(200), '200');
  });
});

describe('csvField against spreadsheet formula injection (OWASP)', () => {
  it('prefixes a text starting with = + - @ tab or carriage return with a quote, and quotes it', () => {
    assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvField('+1'), `"'+1"`);
    assert.equal(csvField('-2+3+cmd|x'), `"'-2+3+cmd|x"`);
    assert.equal(csvField('@SUM(A1)'), `"'@SUM(A1)"`);
    assert.equal(csvField('\t=1'), `"'\t=1"`);
    assert.equal(csvField('\r=1'), `"'\r=1"`);
  });

  it('leaves numbers and texts with such characters further in as they were', () => {
    assert.equal(csvField(-1), '-1');
    assert.equal(csvField('a=b'), 'a=b');
    assert.equal(csvField('dev-1'), 'dev-1');
  });

  it('neutralises a legal device id that starts with = in a whole row', () => {
    const row = deviceResultCsvRow({
      jobId: 'j1',
      deviceId: '=cmd|x',
      status: 'completed',
      outcome: 'succeeded',
      methodResponse: { status: 200, payload: -1 },
    });
    assert.equal(row, `j1,"'=cmd|x",completed,succeeded,,,200,"'-1",,\r\n`);
  });
});

describe('deviceResultCsvRow', () => {
  it('writes the method response payload as JSON and the error code and description', () => {
    const result: DeviceResult = {
      jobId: 'j1',
      deviceId: 'dev,1',
      status: 'failed',
      outcome: 'offline',
      startTimeUtc: '2030-01-01T00:00:00Z',
      methodResponse: { status: 200, payload: { ok: true, note: 'a "b"' } },
      error: { code: '404103', description: 'Device offline' },
    };
    assert.equal(
      deviceResultCsvRow(result),
      'j1,"dev,1",failed,offline,2030-01-01T00:00:00Z,,200,"{""ok"":true,""note"":""a \\""b\\""""}",404103,Device offline\r\n',
    );
  });
});

describe('deviceResultsCsv', () => {
  it('writes a header and one row per device across every page', async () => {
    const store = new InMemoryDeviceResultStore();
    const results: DeviceResult[] = Array.from({ length: 25 }, (_, i) => ({
      jobId: 'j1',
      deviceId: `d${String(i).padStart(2, '0')}`,
      status: 'completed',
      outcome: 'succeeded',
    }));
    await store.upsert(results);
    const csv = await collect(deviceResultsCsv('j1', {}, { deviceResultStore: store }, 10));
    const lines = csv.split('\r\n').filter((line) => line !== '');
    assert.equal(
      lines[0],
      'jobId,deviceId,status,outcome,startTimeUtc,endTimeUtc,methodStatus,methodPayload,errorCode,errorDescription',
    );
    assert.equal(lines.length, 26);
    assert.equal(lines[25], 'j1,d24,completed,succeeded,,,,,,');
  });

  it('writes just the header for a job without results', async () => {
    const store = new InMemoryDeviceResultStore();
    const csv = await collect(deviceResultsCsv('j1', {}, { deviceResultStore: store }));
    assert.equal(csv.split('\r\n').length, 2);
  });
});
