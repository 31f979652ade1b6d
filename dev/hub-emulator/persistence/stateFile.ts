import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { persistedStateSchema, STATE_FORMAT, type PersistedState } from './persistedState';

export const STATE_FILE_NAME = 'hub-state.json';

/** A state file that cannot be used: the message says which file and what to do. */
export class StateFileError extends Error {}

/** The saved state, or undefined when the directory holds none yet. */
export function readStateFile(directory: string): PersistedState | undefined {
  const file = path.join(directory, STATE_FILE_NAME);
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw unusable(
      file,
      `it is not JSON (${error instanceof Error ? error.message : 'unreadable'})`,
    );
  }
  const result = persistedStateSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'the top level';
    throw unusable(file, `it is not a ${STATE_FORMAT} file (${where}: ${issue?.message ?? '?'})`);
  }
  return result.data;
}

/**
 * Written beside and renamed into place, so a crash mid-write leaves the previous state whole.
 * Synchronous on purpose: a snapshot and its write happen with no request in between.
 */
export function writeStateFile(directory: string, text: string): void {
  const file = path.join(directory, STATE_FILE_NAME);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
}

function unusable(file: string, why: string): StateFileError {
  return new StateFileError(
    `The emulator's state file ${file} cannot be used: ${why}. Move it away to start afresh, or pass another --state-dir.`,
  );
}
