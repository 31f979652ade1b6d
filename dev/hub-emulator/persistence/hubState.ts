import { mkdirSync } from 'node:fs';
import type { HubModel } from '../model/hubModel';
import type { PersistedState } from './persistedState';
import { captureState, restoreState } from './snapshot';
import { readStateFile, StateFileError, writeStateFile } from './stateFile';
import { lockStateDirectory } from './stateLock';

const DEFAULT_SAVE_INTERVAL_MS = 1000;

export interface HubStateOptions {
  /** How often the state is written when it changed. Default 1 s: a crash loses at most that. */
  saveIntervalMs?: number;
  now?: () => number;
}

export interface HubState {
  /** True when the model now holds a state read back from the directory. */
  readonly restored: boolean;
  /** Writes the current state now if it changed since the last write. */
  save(): void;
  /** A last save, then the directory is free for the next emulator. */
  close(): void;
}

/**
 * Keeps a hub model in a state directory: reads the saved state back once (instead of the
 * seeded fleet), then writes it whenever it changed, on a timer and on close (README, State).
 */
export function openHubState(
  directory: string,
  model: HubModel,
  options: HubStateOptions = {},
): HubState {
  const now = options.now ?? Date.now;
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const unlock = lockStateDirectory(directory);
  let restored: boolean;
  try {
    restored = loadInto(directory, model, now());
  } catch (error) {
    unlock();
    throw error;
  }
  const writer = new StateWriter(directory, model, now);
  const timer = setInterval(
    () => writer.saveLogged(),
    options.saveIntervalMs ?? DEFAULT_SAVE_INTERVAL_MS,
  );
  timer.unref();
  let closed = false;
  return {
    restored,
    save: () => writer.save(),
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      try {
        writer.save();
      } finally {
        unlock();
      }
    },
  };
}

/** Reads the directory's state into the model; false when there is none yet. */
function loadInto(directory: string, model: HubModel, now: number): boolean {
  const saved = readStateFile(directory);
  if (!saved) return false;
  checkSeed(directory, saved, model.options.seed);
  restoreState(model, saved, now);
  return true;
}

function checkSeed(directory: string, saved: PersistedState, seed: number): void {
  if (saved.seed === seed) return;
  throw new StateFileError(
    `The state directory ${directory} holds a hub started with seed ${saved.seed}, not ${seed}: its keys derive from the seed. Start with --seed ${saved.seed} or pass another --state-dir.`,
  );
}

/** Writes only what changed; `savedAt` is left out of the comparison, so an idle hub is not rewritten. */
class StateWriter {
  private lastContent: string | undefined;

  constructor(
    private readonly directory: string,
    private readonly model: HubModel,
    private readonly now: () => number,
  ) {}

  save(): void {
    const { savedAt, ...content } = captureState(this.model, this.now());
    const body = JSON.stringify(content);
    if (body === this.lastContent) return;
    writeStateFile(this.directory, `{"savedAt":${JSON.stringify(savedAt)},${body.slice(1)}`);
    this.lastContent = body;
  }

  /** On the timer: a failed write (disk full, directory gone) is reported and tried again. */
  saveLogged(): void {
    try {
      this.save();
    } catch (error) {
      console.error('hub emulator: could not save the state:', error);
    }
  }
}
