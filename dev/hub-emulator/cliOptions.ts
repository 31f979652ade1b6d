import { parseArgs } from 'node:util';
import type { HubTier } from './options';
import type { StartHubEmulatorOptions } from './server';

export class CliUsageError extends Error {}

export const cliUsage = `Usage: npm run hub -- [options]
  --port N                     TCP port on 127.0.0.1 (default 0 = a free port; 443 needs root)
  --devices N                  simulated fleet size (default 0)
  --tier F1|S1|S2|S3           hub tier and its limits (default S1)
  --seed N                     seed for the fleet, outcomes and hub key (default 1)
  --seed-time-zones A,B,…      give seeded devices tags.timeZone round-robin over these (default none)
  --info-file PATH             write { hostName, endpoint, connectionString, caFile } here
  --host-name NAME             host name in the connection string (default localhost)
  --cert-dir DIR               keep and reuse cert.pem/key.pem here (default: a temp dir)
  --state-dir DIR              keep registry, twins and jobs here across restarts (default: none)
  --method-latency-ms N        per-device method latency
  --transient-failure-share X  share of devices timing out (0..1)
  --permanent-failure-share X  share of devices answering 500 (0..1)
  --offline-share X            share of devices offline (0..1)
  --echo-latency-ms N          delay before desired properties are echoed as reported
  --max-active-jobs N          concurrent jobs (0 = unlimited)
  --jobs-ops-per-minute N      jobs operations rate (0 = unlimited)
  --queries-per-minute N       query rate (0 = unlimited)
  --device-ops-per-second N    job device operations pace (0 = as fast as possible)
  --error-format current|legacy
  --response-latency-ms N      delay every hub answer
  --mqtt-port N                device side: MQTT over TLS on this port (0 = a free one; default off)
  --mqtt-device ID             the device whose connection string the info file gets (myDeviceId)
  --unconnected-devices simulated|offline
                               devices without a connection: simulated, or offline (simulated)
  --help`;

const flags = {
  port: { type: 'string' },
  devices: { type: 'string' },
  tier: { type: 'string' },
  seed: { type: 'string' },
  'seed-time-zones': { type: 'string' },
  'info-file': { type: 'string' },
  'host-name': { type: 'string' },
  'cert-dir': { type: 'string' },
  'state-dir': { type: 'string' },
  'method-latency-ms': { type: 'string' },
  'transient-failure-share': { type: 'string' },
  'permanent-failure-share': { type: 'string' },
  'offline-share': { type: 'string' },
  'echo-latency-ms': { type: 'string' },
  'max-active-jobs': { type: 'string' },
  'jobs-ops-per-minute': { type: 'string' },
  'queries-per-minute': { type: 'string' },
  'device-ops-per-second': { type: 'string' },
  'error-format': { type: 'string' },
  'response-latency-ms': { type: 'string' },
  'mqtt-port': { type: 'string' },
  'mqtt-device': { type: 'string' },
  'unconnected-devices': { type: 'string' },
  help: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseFlags>['values'];

function parseFlags(args: string[]) {
  return parseArgs({ args, options: flags, strict: true, allowPositionals: false });
}

/** Parses CLI arguments into emulator options; throws CliUsageError with a readable message. */
export function parseCliOptions(args: string[]): StartHubEmulatorOptions | 'help' {
  let values: Values;
  try {
    values = parseFlags(args).values;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const limits = definedOnly({
    maxActiveJobs: integer(values, 'max-active-jobs'),
    jobsOperationsPerMinute: number(values, 'jobs-ops-per-minute'),
    queriesPerMinute: number(values, 'queries-per-minute'),
    deviceOperationsPerSecond: number(values, 'device-ops-per-second'),
  });
  return definedOnly({
    port: integer(values, 'port', 65535),
    devices: integer(values, 'devices'),
    tier: tier(values.tier),
    seed: integer(values, 'seed'),
    seedTimeZones: timeZoneList(values['seed-time-zones']),
    infoFile: values['info-file'],
    hostName: values['host-name'],
    certDir: values['cert-dir'],
    stateDir: nonEmpty(values, 'state-dir'),
    methodLatencyMs: number(values, 'method-latency-ms'),
    transientFailureShare: share(values, 'transient-failure-share'),
    permanentFailureShare: share(values, 'permanent-failure-share'),
    offlineShare: share(values, 'offline-share'),
    reportedEchoLatencyMs: number(values, 'echo-latency-ms'),
    errorFormat: errorFormat(values['error-format']),
    responseLatencyMs: number(values, 'response-latency-ms'),
    mqttPort: integer(values, 'mqtt-port', 65535),
    mqttDeviceId: values['mqtt-device'],
    unconnectedDevices: unconnectedDevices(values['unconnected-devices']),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  });
}

type NumericFlag = Exclude<
  keyof Values,
  | 'help'
  | 'tier'
  | 'info-file'
  | 'host-name'
  | 'cert-dir'
  | 'state-dir'
  | 'seed-time-zones'
  | 'mqtt-device'
  | 'unconnected-devices'
>;

function number(values: Values, name: NumericFlag): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const parsed = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
    throw new CliUsageError(`--${name} must be a number >= 0 (got "${raw}")`);
  }
  return parsed;
}

function integer(values: Values, name: NumericFlag, max = Number.MAX_SAFE_INTEGER) {
  const parsed = number(values, name);
  if (parsed !== undefined && (!Number.isInteger(parsed) || parsed > max)) {
    throw new CliUsageError(
      `--${name} must be a whole number up to ${max} (got "${values[name]}")`,
    );
  }
  return parsed;
}

function share(values: Values, name: NumericFlag): number | undefined {
  const parsed = number(values, name);
  if (parsed !== undefined && parsed > 1) {
    throw new CliUsageError(`--${name} must be between 0 and 1 (got "${values[name]}")`);
  }
  return parsed;
}

/** Comma-separated, each kept as written (no canonical renaming: `Asia/Kolkata` stays). */
function timeZoneList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const zones = value.split(',').map((zone) => zone.trim());
  if (zones.some((zone) => zone === '')) {
    throw new CliUsageError(
      `--seed-time-zones must be a comma-separated list of zone names (got "${value}")`,
    );
  }
  return zones;
}

function nonEmpty(values: Values, name: 'state-dir'): string | undefined {
  const value = values[name];
  if (value !== undefined && value.trim() === '') {
    throw new CliUsageError(`--${name} must name a directory (got an empty value)`);
  }
  return value;
}

function tier(value: string | undefined): HubTier | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (upper === 'F1' || upper === 'S1' || upper === 'S2' || upper === 'S3') return upper;
  throw new CliUsageError(`--tier must be F1, S1, S2 or S3 (got "${value}")`);
}

function errorFormat(value: string | undefined): 'current' | 'legacy' | undefined {
  if (value === undefined || value === 'current' || value === 'legacy') return value;
  throw new CliUsageError(`--error-format must be current or legacy (got "${value}")`);
}

function unconnectedDevices(value: string | undefined): 'simulated' | 'offline' | undefined {
  if (value === undefined || value === 'simulated' || value === 'offline') return value;
  throw new CliUsageError(`--unconnected-devices must be simulated or offline (got "${value}")`);
}

function definedOnly<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
