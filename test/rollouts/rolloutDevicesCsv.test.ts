import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RolloutDeviceResult } from '../../src/rollouts/ports';
import {
  rolloutDeviceCsvRow,
  rolloutDevicesCsv,
  rolloutDevicesCsvColumns,
} from '../../src/rollouts/rolloutDevicesCsv';
import { InMemoryRolloutDeviceResults } from './support/inMemoryRolloutStores';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

const row: RolloutDeviceResult = {
  rolloutId: 'fw-2030',
  deviceId: '=cmd|calc',
  attempt: 2,
  jobId: 'fw-2030-w1-c1-a2',
  status: 'failed',
  outcome: 'failed',
  endTimeUtc: '2030-01-01T00:02:00.000Z',
  methodResponse: { status: 500, payload: { note: 'a, "b"' } },
  error: { code: '500', description: '@SUM(A1)' },
};

describe('rolloutDevicesCsv', () => {
  it('writes the attempt and chunk job beside the job columns, formulas neutralised', () => {
    assert.equal(
      rolloutDeviceCsvRow(row),
      `fw-2030,"'=cmd|calc",2,fw-2030-w1-c1-a2,failed,failed,,2030-01-01T00:02:00.000Z,500,` +
        `"{""note"":""a, \\""b\\""""}",500,"'@SUM(A1)"\r\n`,
    );
  });

  it('streams a header and every row of the filter, page by page', async () => {
    const store = new InMemoryRolloutDeviceResults();
    const rows = Array.from({ length: 5 }, (_, i) => ({
      ...row,
      deviceId: `d${i}`,
      outcome: i % 2 === 0 ? ('failed' as const) : ('succeeded' as const),
    }));
    await store.record('fw-2030', rows);
    const text = await collect(
      rolloutDevicesCsv('fw-2030', { outcome: 'failed' }, { rolloutDeviceResults: store }, 2),
    );
    const lines = text.split('\r\n').filter((line) => line !== '');
    assert.equal(lines[0], rolloutDevicesCsvColumns.join(','));
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(',')[1]),
      ['d0', 'd2', 'd4'],
    );
  });
});
