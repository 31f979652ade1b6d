import { deviceIdProblem } from '../core/deviceIdCondition';

/** The most device ids one rollout takes, inline or from a blob. */
export const maxRolloutDeviceIds = 1_000_000;
/** Problems reported one by one; the rest are counted in one summary line. */
export const maxListedProblems = 20;

export interface IdProblem {
  /** Where the bad id is: an array index or a line number, as the caller counts them. */
  position: number;
  message: string;
}

/**
 * Checks and de-duplicates device ids in the one pass that reads them (first occurrence kept, in
 * order), keeping the first `maxListedProblems` problems and counting the rest, so a million bad
 * ids cost a counter, not a million messages.
 */
export class DeviceIdCollector {
  readonly deviceIds: string[] = [];
  readonly problems: IdProblem[] = [];
  problemCount = 0;
  private readonly seen = new Set<string>();

  constructor(
    private readonly describe: (value: unknown) => string | undefined = deviceIdProblem,
  ) {}

  add(value: unknown, position: number): void {
    const problem = this.describe(value);
    if (problem !== undefined) {
      this.problemCount += 1;
      if (this.problems.length < maxListedProblems)
        this.problems.push({ position, message: problem });
      return;
    }
    const deviceId = value as string;
    if (this.seen.has(deviceId)) return;
    this.seen.add(deviceId);
    this.deviceIds.push(deviceId);
  }

  /** The summary line for the problems not listed, or undefined when all are listed. */
  unlistedSummary(noun: string): string | undefined {
    const unlisted = this.problemCount - this.problems.length;
    if (unlisted <= 0) return undefined;
    return `and ${unlisted} more ${noun} with problems (the first ${this.problems.length} are listed)`;
  }
}

/**
 * `deviceIdProblem` without any of the id's own text: for ids read from a blob, whose content no
 * error may quote.
 */
export function deviceIdProblemWithoutText(value: unknown): string | undefined {
  const problem = deviceIdProblem(value);
  if (problem === undefined || typeof value !== 'string') return problem;
  if (value === '' || value.includes("'")) return problem;
  const badAt = [...value].findIndex((c) => deviceIdProblem(c) !== undefined);
  if (badAt >= 0) {
    return `has a character at position ${badAt + 1} that IoT Hub does not allow in a device id`;
  }
  return problem;
}
