import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { StateFileError } from './stateFile';

const LOCK_FILE_NAME = 'hub-state.lock';
/** Directories this process holds: the pid in the lock file cannot tell two of ours apart. */
const heldHere = new Set<string>();

/**
 * One emulator per state directory: two writing the same file would undo each other's work.
 * A lock left by a process that is gone (killed, crashed) is taken over.
 */
export function lockStateDirectory(directory: string): () => void {
  const file = path.resolve(directory, LOCK_FILE_NAME);
  if (heldHere.has(file)) throw inUse(directory, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      heldHere.add(file);
      return () => releaseLock(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(file);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw inUse(directory, holder);
      }
      rmSync(file, { force: true });
    }
  }
  throw new StateFileError(`Could not lock the state directory ${directory}; try again.`);
}

function inUse(directory: string, holder: number): StateFileError {
  return new StateFileError(
    `The state directory ${directory} is in use by another emulator (process ${holder}); stop it or pass another --state-dir.`,
  );
}

function lockHolder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(file: string): void {
  if (!heldHere.delete(file)) return;
  if (lockHolder(file) === process.pid) rmSync(file, { force: true });
}
