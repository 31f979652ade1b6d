import { ValidationError } from '../core/errors';
import type { WavesSpec } from './rollout';

/** More waves than this is a mistake (a wave per device), and would not fit a stored rollout. */
export const maxWaveCount = 1000;

export interface IdRange {
  start: number;
  end: number;
}

/**
 * Size waves over `total` ids: `count` N each (the last holds the rest), `percent` P as waves of
 * ceil(P% × total); otherwise one wave of all. Throws `ValidationError` beyond `maxWaveCount`.
 */
export function waveRanges(total: number, waves: WavesSpec | undefined): IdRange[] {
  if (total === 0) return [];
  const size = waveSize(total, waves);
  const count = Math.ceil(total / size);
  if (count > maxWaveCount) {
    const field = waves !== undefined && 'percent' in waves ? 'waves.percent' : 'waves.count';
    throw new ValidationError([
      {
        field,
        message: `makes ${count} waves of ${total} devices, over the limit of ${maxWaveCount}: use larger waves`,
      },
    ]);
  }
  return Array.from({ length: count }, (_, wave) => ({
    start: wave * size,
    end: Math.min(total, (wave + 1) * size),
  }));
}

function waveSize(total: number, waves: WavesSpec | undefined): number {
  if (waves !== undefined && 'count' in waves) return waves.count;
  if (waves !== undefined && 'percent' in waves) {
    // The epsilon keeps 10% of 1000 at 100 when the binary product lands a hair above.
    return Math.max(1, Math.ceil((waves.percent * total) / 100 - 1e-9));
  }
  return total;
}
