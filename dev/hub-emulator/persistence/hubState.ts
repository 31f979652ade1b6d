import { mkdirSync } from 'node:fs';
import type { HubModel } from '../model/hubModel';
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
    const saved = readStateFile(directory);
    if (saved && saved.seed !== model.options.seed) {
      throw new StateFileError(
        `The state directory ${directory} holds a hub started with seed ${saved.seed}, not ${model.options.seed}: its keys derive from the seed. Start with --seed ${saved.seed} or pass another --state-dir.`,
      );
    }
    if (saved) restoreState(model, saved, now());
    restored = saved !== undefined;
  } catch (error) {
    unlock();
    throw error;
  }
  let lastText: string | undefined;
  const save = (): void => {
    // savedAt is left out of the comparison, so an idle hub is not rewritten every second.
    const { savedAt, ...content } = captureState(model, now());
    const body = JSON.stringify(content);
    if (body === lastText) return;
    writeStateFile(directory, `{"savedAt":${JSON.stringify(savedAt)},${body.slice(1)}`);
    lastText = body;
  };
  const timer = setInterval(() => {
    try {
      save();
    } catch (error) {
      console.error('hub emulator: could not save the state:', error);
    }
  }, options.saveIntervalMs ?? DEFAULT_SAVE_INTERVAL_MS);
  timer.unref();
  let closed = false;
  return {
    restored,
    save,
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      try {
        save();
      } finally {
        unlock();
      }
    },
  };
}
