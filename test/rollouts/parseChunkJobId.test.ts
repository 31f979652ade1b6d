import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkJobId, parseChunkJobId } from '../../src/rollouts/rollout';

describe('parseChunkJobId', () => {
  it('reads back what chunkJobId wrote, attempt included', () => {
    assert.deepEqual(parseChunkJobId(chunkJobId('fw-2030', 3, 12, 4)), {
      rolloutId: 'fw-2030',
      wave: 3,
      chunk: 12,
      attempt: 4,
    });
    assert.equal(parseChunkJobId(chunkJobId('fw', 1, 1))?.attempt, 1);
  });

  it('takes the last suffix when the rollout id itself looks like a chunk id', () => {
    const id = chunkJobId('a-w1-c2-a3', 7, 8, 9);
    assert.deepEqual(parseChunkJobId(id), {
      rolloutId: 'a-w1-c2-a3',
      wave: 7,
      chunk: 8,
      attempt: 9,
    });
  });

  it('answers undefined for ids no chunk job has', () => {
    for (const id of [
      'plain-job',
      'r-w1-c1',
      'r-w0-c1-a1',
      'r-w1-c1-a0',
      'r-w1-c1-a01',
      '-w1-c1-a1',
      'r_x-w1-c1-a1',
    ]) {
      assert.equal(parseChunkJobId(id), undefined, id);
    }
  });
});
