import { z } from 'zod';
import { readSetting, shown, type Env } from './settingValue';

export const hubTiers = ['F1', 'S1', 'S2', 'S3'] as const;
export type HubTier = (typeof hubTiers)[number];

/** The hub's per-tier limits (contract doc §1.8); rates are per unit. */
export interface TierDefaults {
  maxActiveJobs: number;
  queriesPerMinutePerUnit: number;
  jobsOperationsPerMinutePerUnit: number;
}

export const tierDefaults: Readonly<Record<HubTier, TierDefaults>> = {
  F1: { maxActiveJobs: 1, queriesPerMinutePerUnit: 20, jobsOperationsPerMinutePerUnit: 100 },
  S1: { maxActiveJobs: 1, queriesPerMinutePerUnit: 20, jobsOperationsPerMinutePerUnit: 100 },
  S2: { maxActiveJobs: 5, queriesPerMinutePerUnit: 20, jobsOperationsPerMinutePerUnit: 100 },
  S3: { maxActiveJobs: 10, queriesPerMinutePerUnit: 1000, jobsOperationsPerMinutePerUnit: 5000 },
};

/** Integer setting parsed from its string form; the message echoes the (non-secret) value. */
function integerSetting(min: number, max: number) {
  return z.string().transform((raw, context) => {
    const value = Number(raw);
    if (/^\d+$/.test(raw) && value >= min && value <= max) return value;
    context.addIssue({
      code: 'custom',
      message: `must be an integer from ${min} to ${max} (got ${shown(raw)})`,
    });
    return z.NEVER;
  });
}

const importQueryShareSetting = z.string().transform((raw, context) => {
  const value = Number(raw);
  if (/^\d*\.?\d+$/.test(raw) && value > 0 && value <= 1) return value;
  context.addIssue({
    code: 'custom',
    message: `must be a number greater than 0 and at most 1 (got ${shown(raw)})`,
  });
  return z.NEVER;
});

/** Table names are prefix + a short name (longest `deviceresults`), 3-63 alphanumerics. */
const maxTablePrefixLength = 40;

const tunablesSchema = z.object({
  HUB_TIER: z
    .enum(hubTiers, {
      error: (issue) => `must be one of ${hubTiers.join(', ')} (got ${shown(String(issue.input))})`,
    })
    .default('S1'),
  HUB_UNITS: integerSetting(1, 200).default(1),
  POLL_SCHEDULE: z
    .string()
    .regex(/^\S+( \S+){5}$/, {
      error: (issue) =>
        `must be an NCRONTAB expression with 6 fields, seconds first (got ${shown(String(issue.input))})`,
    })
    .default('*/30 * * * * *'),
  JOB_REQUESTS_QUEUE: z
    .string()
    .regex(/^(?=.{3,56}$)[a-z0-9]+(-[a-z0-9]+)*$/, {
      error: (issue) =>
        `must be a queue name: 3-56 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (got ${shown(String(issue.input))})`,
    })
    .default('job-requests'),
  TABLE_PREFIX: z
    .string()
    .regex(new RegExp(`^[A-Za-z][A-Za-z0-9]{0,${maxTablePrefixLength - 1}}$`), {
      error: (issue) =>
        `must start with a letter and hold only letters and digits, at most ${maxTablePrefixLength} characters, so that every table name is valid (got ${shown(String(issue.input))})`,
    })
    .default('hubjobs'),
  SUBMIT_LEAD_SECONDS: integerSetting(0, 86_400).default(120),
  SUBMIT_RETRY_BASE_SECONDS: integerSetting(0, 3600).default(5),
  SUBMIT_RETRY_MAX_SECONDS: integerSetting(1, 604_800).default(300),
  HUB_RETRY_COUNT: integerSetting(0, 10).default(4),
  HUB_RETRY_BASE_MS: integerSetting(0, 60_000).default(500),
  HUB_CALL_TIMEOUT_MS: integerSetting(1, 600_000).default(30_000),
  IMPORT_QUERY_SHARE: importQueryShareSetting.default(0.5),
  POLL_INTERVAL_SECONDS: integerSetting(1, 3600).default(30),
  CREATE_GRACE_SECONDS: integerSetting(1, 86_400).default(600),
  HEALTH_HUB_REUSE_SECONDS: integerSetting(0, 3600).default(30),
  MAX_REQUEST_BYTES: integerSetting(1, 104_857_600).default(1_048_576),
});

export interface TunableSettings {
  hubTier: HubTier;
  hubUnits: number;
  /** NCRONTAB (6 fields); the hosts read it as %POLL_SCHEDULE%, validated here so a typo stops start-up. */
  pollSchedule: string;
  jobRequestsQueue: string;
  tablePrefix: string;
  submitLeadSeconds: number;
  submitRetryBaseSeconds: number;
  submitRetryMaxSeconds: number;
  hubRetryCount: number;
  hubRetryBaseMs: number;
  hubCallTimeoutMs: number;
  importQueryShare: number;
  pollIntervalSeconds: number;
  /**
   * A create that has written only its first row is left this long to finish before the poller
   * writes the job out and submits it itself.
   */
  createGraceSeconds: number;
  /** /health reuses a hub probe's outcome this long, sparing the hub's jobs-operation quota. */
  healthHubReuseSeconds: number;
  maxRequestBytes: number;
}

export function readTunables(env: Env, problems: string[]): TunableSettings | undefined {
  const input = Object.fromEntries(
    Object.keys(tunablesSchema.shape).map((name) => [name, readSetting(env, name)]),
  );
  const parsed = tunablesSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`${String(issue.path[0])} ${issue.message}`);
    return undefined;
  }
  const t = parsed.data;
  if (t.SUBMIT_RETRY_MAX_SECONDS < t.SUBMIT_RETRY_BASE_SECONDS) {
    problems.push('SUBMIT_RETRY_MAX_SECONDS must not be less than SUBMIT_RETRY_BASE_SECONDS');
  }
  return {
    hubTier: t.HUB_TIER,
    hubUnits: t.HUB_UNITS,
    pollSchedule: t.POLL_SCHEDULE,
    jobRequestsQueue: t.JOB_REQUESTS_QUEUE,
    tablePrefix: t.TABLE_PREFIX,
    submitLeadSeconds: t.SUBMIT_LEAD_SECONDS,
    submitRetryBaseSeconds: t.SUBMIT_RETRY_BASE_SECONDS,
    submitRetryMaxSeconds: t.SUBMIT_RETRY_MAX_SECONDS,
    hubRetryCount: t.HUB_RETRY_COUNT,
    hubRetryBaseMs: t.HUB_RETRY_BASE_MS,
    hubCallTimeoutMs: t.HUB_CALL_TIMEOUT_MS,
    importQueryShare: t.IMPORT_QUERY_SHARE,
    pollIntervalSeconds: t.POLL_INTERVAL_SECONDS,
    createGraceSeconds: t.CREATE_GRACE_SECONDS,
    healthHubReuseSeconds: t.HEALTH_HUB_REUSE_SECONDS,
    maxRequestBytes: t.MAX_REQUEST_BYTES,
  };
}

export function readOptionalInteger(
  env: Env,
  name: string,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  const raw = readSetting(env, name);
  if (raw === undefined) return undefined;
  const parsed = integerSetting(min, max).safeParse(raw);
  if (parsed.success) return parsed.data;
  problems.push(`${name} ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return undefined;
}
