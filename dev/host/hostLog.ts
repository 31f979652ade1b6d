import { format } from 'node:util';
import type { LogLevel } from '@azure/functions';
import { redactSecrets } from '../../src/core/redactSecrets';

export type WriteLine = (line: string) => void;

/** Writes `[source] message` lines: one per line of the message, secrets redacted. */
export type HostLog = (source: string, level: LogLevel, ...args: unknown[]) => void;

export const writeToStdout: WriteLine = (line) => {
  process.stdout.write(`${line}\n`);
};

const levelTags: Partial<Record<LogLevel, string>> = {
  warning: 'WARNING: ',
  error: 'ERROR: ',
  critical: 'CRITICAL: ',
};

export function createHostLog(writeLine: WriteLine): HostLog {
  return (source, level, ...args) => {
    if (level === 'none') return;
    const tag = levelTags[level] ?? '';
    for (const line of format(...args).split(/\r?\n/)) {
      writeLine(`[${source}] ${tag}${redactSecrets(line)}`);
    }
  };
}
