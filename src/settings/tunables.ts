import type { DeclaredFields, ReadDeclaration } from './declaration';
import { fieldsOf, readDeclared } from './readDeclared';
import { fractionSetting, integerSetting, oneOfSetting, patternSetting } from './settingSchemas';
import type { Env } from './settingValue';
import { hubTiers } from './tierDefaults';

/** Table names are prefix + a short name (longest `deviceresults`), 3-63 alphanumerics. */
const maxTablePrefixLength = 40;

/** The app's tunables, each one `Settings` field with a default. */
export const tunableDeclarations = [
  {
    name: 'HUB_TIER',
    class: 'app',
    field: 'hubTier',
    default: 'S1',
    schema: oneOfSetting(hubTiers),
    doc: `The hub's pricing tier (${hubTiers.join(', ')}); sets the default job and query limits.`,
  },
  {
    name: 'HUB_UNITS',
    class: 'app',
    field: 'hubUnits',
    default: '1',
    schema: integerSetting(1, 200),
    doc: "The hub's units; per-unit quotas are multiplied by it.",
  },
  {
    name: 'POLL_SCHEDULE',
    class: 'shared',
    field: 'pollSchedule',
    default: '*/30 * * * * *',
    schema: patternSetting(
      /^\S+( \S+){5}$/,
      'be an NCRONTAB expression with 6 fields, seconds first',
    ),
    doc: 'When the poller runs: 6-field NCRONTAB; the host reads it as `%POLL_SCHEDULE%`, the app checks it so a typo stops start-up.',
  },
  {
    name: 'JOB_REQUESTS_QUEUE',
    class: 'shared',
    field: 'jobRequestsQueue',
    default: 'job-requests',
    schema: patternSetting(
      /^(?=.{3,56}$)[a-z0-9]+(-[a-z0-9]+)*$/,
      'be a queue name: 3-56 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
    ),
    doc: 'The job-requests queue; the host reads it as `%JOB_REQUESTS_QUEUE%`, the app sends to it.',
  },
  {
    name: 'TABLE_PREFIX',
    class: 'app',
    field: 'tablePrefix',
    default: 'hubjobs',
    schema: patternSetting(
      new RegExp(`^[A-Za-z][A-Za-z0-9]{0,${maxTablePrefixLength - 1}}$`),
      `start with a letter and hold only letters and digits, at most ${maxTablePrefixLength} characters, so that every table name is valid`,
    ),
    doc: 'Prefix of every table name (letters and digits, at most 40).',
  },
  {
    name: 'SUBMIT_LEAD_SECONDS',
    class: 'app',
    field: 'submitLeadSeconds',
    default: '120',
    schema: integerSetting(0, 86_400),
    doc: 'How long before its start time a scheduled job is submitted to the hub.',
  },
  {
    name: 'SUBMIT_RETRY_BASE_SECONDS',
    class: 'app',
    field: 'submitRetryBaseSeconds',
    default: '5',
    schema: integerSetting(0, 3600),
    doc: 'First delay before a failed submit is retried; it doubles on each retry.',
  },
  {
    name: 'SUBMIT_RETRY_MAX_SECONDS',
    class: 'app',
    field: 'submitRetryMaxSeconds',
    default: '300',
    schema: integerSetting(1, 604_800),
    doc: 'Longest delay between submit retries; not less than `SUBMIT_RETRY_BASE_SECONDS`.',
  },
  {
    name: 'HUB_RETRY_COUNT',
    class: 'app',
    field: 'hubRetryCount',
    default: '4',
    schema: integerSetting(0, 10),
    doc: 'How often a retryable hub call (throttled, transient failure) is retried within one invocation.',
  },
  {
    name: 'HUB_RETRY_BASE_MS',
    class: 'app',
    field: 'hubRetryBaseMs',
    default: '500',
    schema: integerSetting(0, 60_000),
    doc: 'First delay before a hub call is retried; it doubles on each retry.',
  },
  {
    name: 'HUB_CALL_TIMEOUT_MS',
    class: 'app',
    field: 'hubCallTimeoutMs',
    default: '30000',
    schema: integerSetting(1, 600_000),
    doc: 'How long one hub call may take before it is abandoned.',
  },
  {
    name: 'IMPORT_QUERY_SHARE',
    class: 'app',
    field: 'importQueryShare',
    default: '0.5',
    schema: fractionSetting,
    doc: "Share of the hub's query quota that importing device results may use (0 to 1).",
  },
  {
    name: 'POLL_INTERVAL_SECONDS',
    class: 'app',
    field: 'pollIntervalSeconds',
    default: '30',
    schema: integerSetting(1, 3600),
    doc: 'The pace `POLL_SCHEDULE` runs at, which the app uses to plan its work per tick.',
  },
  {
    name: 'CREATE_GRACE_SECONDS',
    class: 'app',
    field: 'createGraceSeconds',
    default: '600',
    schema: integerSetting(1, 86_400),
    doc: 'How long a create cut short is left to finish before the poller takes the job over and submits it.',
  },
  {
    name: 'HEALTH_HUB_REUSE_SECONDS',
    class: 'app',
    field: 'healthHubReuseSeconds',
    default: '30',
    schema: integerSetting(0, 3600),
    doc: "How long `/health` reuses a hub probe's outcome, so the anonymous endpoint cannot spend the hub's jobs quota.",
  },
  {
    name: 'MAX_REQUEST_BYTES',
    class: 'app',
    field: 'maxRequestBytes',
    default: '1048576',
    schema: integerSetting(1, 104_857_600),
    doc: 'Largest request body accepted, in bytes.',
  },
] as const satisfies readonly ReadDeclaration[];

export type TunableSettings = DeclaredFields<typeof tunableDeclarations>;

export function readTunables(env: Env, problems: string[]): TunableSettings | undefined {
  const values = readDeclared(env, tunableDeclarations, problems);
  if (values === undefined) return undefined;
  if (values.SUBMIT_RETRY_MAX_SECONDS < values.SUBMIT_RETRY_BASE_SECONDS) {
    problems.push('SUBMIT_RETRY_MAX_SECONDS must not be less than SUBMIT_RETRY_BASE_SECONDS');
  }
  return fieldsOf(tunableDeclarations, values);
}
