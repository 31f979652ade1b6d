import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnLocalHost } from './host/spawnLocalHost';
import { superviseHost, type HostSupervisor } from './hostSupervisor';
import { waitForHealth } from './host/waitForHealth';
import { startHubEmulator, type RunningHubEmulator } from './hub-emulator/server';
import { startAzurite, type RunningAzurite } from './azurite';

/**
 * `npm start [-- --host-port N --hub-port N --mqtt-port N --blob-port N --queue-port N
 * --table-port N --devices N --state-dir DIR]`: Azurite, the IoT Hub emulator with a fleet (no jobs), and the
 * local Functions host in its own process. Ctrl-C stops all three. Port 0 picks a free port.
 */
const appRoot = path.resolve(__dirname, '..');
const azuriteDefaultPorts = { blob: 10000, queue: 10001, table: 10002 };

interface StartOptions {
  hostPort: number;
  hubPort: number;
  /** The emulator's MQTT device endpoint (devices such as the tutorial's simDevice.js). */
  mqttPort: number;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  devices: number;
  /** Azurite's data, the emulator's certificate and info file (git-ignored `.hubjobs/`). */
  stateDir: string;
}

interface Stack {
  azurite?: RunningAzurite;
  hub?: RunningHubEmulator;
  host?: HostSupervisor;
}

function readOptions(): StartOptions {
  const { values } = parseArgs({
    options: Object.fromEntries(
      [
        'host-port',
        'hub-port',
        'mqtt-port',
        'blob-port',
        'queue-port',
        'table-port',
        'devices',
        'state-dir',
      ].map((name) => [name, { type: 'string' as const }]),
    ),
  });
  const number = (name: string, fallback: number, max = 65_535): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (typeof raw === 'string' && /^\d+$/.test(raw) && value <= max) return value;
    throw new Error(`--${name} must be a whole number up to ${max} (got '${String(raw)}')`);
  };
  return {
    hostPort: number('host-port', Number(process.env.HOST_PORT ?? 7071)),
    hubPort: number('hub-port', 18443),
    mqttPort: number('mqtt-port', 18883),
    blobPort: number('blob-port', azuriteDefaultPorts.blob),
    queuePort: number('queue-port', azuriteDefaultPorts.queue),
    tablePort: number('table-port', azuriteDefaultPorts.table),
    devices: number('devices', 1000, 99_999),
    stateDir: path.resolve(appRoot, String(values['state-dir'] ?? '.hubjobs')),
  };
}

/** Checks every port up front, so a clash is reported by name before anything starts. */
async function ensurePortsFree(options: StartOptions): Promise<void> {
  const wanted: [string, string, number][] = [
    ['the local Functions host', 'host-port', options.hostPort],
    ['the IoT Hub emulator', 'hub-port', options.hubPort],
    ["the IoT Hub emulator's MQTT endpoint", 'mqtt-port', options.mqttPort],
    ['Azurite blob', 'blob-port', options.blobPort],
    ['Azurite queue', 'queue-port', options.queuePort],
    ['Azurite table', 'table-port', options.tablePort],
  ];
  const clashes: string[] = [];
  for (const [what, flag, port] of wanted) {
    if (port !== 0 && !(await isPortFree(port))) {
      clashes.push(
        `Port ${port} (${what}) is already in use: stop what holds it or pass --${flag} N.`,
      );
    }
  }
  if (clashes.length > 0) throw new Error(clashes.join('\n'));
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function startStack(
  options: StartOptions,
  stack: Stack,
  onGiveUp: () => void,
): Promise<HostSupervisor> {
  const { stateDir } = options;
  await mkdir(stateDir, { recursive: true });
  stack.azurite = await startAzurite({
    location: path.join(stateDir, 'azurite'),
    blobPort: options.blobPort,
    queuePort: options.queuePort,
    tablePort: options.tablePort,
  });
  stack.hub = await startHubEmulator({
    port: options.hubPort,
    mqttPort: options.mqttPort,
    devices: options.devices,
    tier: 'S1',
    seed: 1,
    certDir: path.join(stateDir, 'hub'),
    hostName: 'localhost',
    infoFile: path.join(stateDir, 'hub.json'),
    // Jobs, twins and devices outlive a restart of npm start (dev/hub-emulator/README.md).
    stateDir: path.join(stateDir, 'hub-state'),
  });
  const usesDefaultPorts =
    stack.azurite.blobPort === azuriteDefaultPorts.blob &&
    stack.azurite.queuePort === azuriteDefaultPorts.queue &&
    stack.azurite.tablePort === azuriteDefaultPorts.table;
  const env = {
    HOST_PORT: String(options.hostPort),
    IOTHUB_CONNECTION_STRING: stack.hub.connectionString,
    IOTHUB_ENDPOINT: stack.hub.endpoint,
    IOTHUB_CA_FILE: stack.hub.caFile,
    AzureWebJobsStorage: usesDefaultPorts
      ? 'UseDevelopmentStorage=true'
      : stack.azurite.connectionString,
  };
  stack.host = await superviseHost({
    start: () =>
      spawnLocalHost({
        env,
        onLine: (line) => process.stdout.write(`${line}\n`),
        keepOutput: false,
        readyTimeoutMs: 60_000,
      }),
    log: (line) => process.stderr.write(`${line}\n`),
    onGiveUp,
  });
  return stack.host;
}

function printWelcome(options: StartOptions, stack: Required<Stack>): void {
  const api = stack.host.current().baseUrl;
  const body = JSON.stringify({
    type: 'scheduleDeviceMethod',
    deviceIds: ['device-00001', 'device-00002', 'device-00003'],
    cloudToDeviceMethod: {
      methodName: 'lockDoor',
      payload: { reason: 'demo' },
      responseTimeoutInSeconds: 30,
    },
  });
  process.stdout.write(
    [
      '',
      'hubjobs is running locally.',
      `  API:      ${api}`,
      `  IoT Hub:  ${stack.hub.endpoint} (emulator, tier S1, ${stack.hub.restored ? `state kept from the last run in ${path.relative(appRoot, options.stateDir) || '.'}/hub-state` : `${options.devices} simulated devices`})`,
      `  Devices:  ${stack.hub.mqttEndpoint ?? 'off'} (MQTT; device ${stack.hub.deviceId ?? '-'}, its connection string in ${path.relative(appRoot, options.stateDir) || '.'}/hub.json)`,
      `  Storage:  Azurite on 127.0.0.1 ports ${stack.azurite.blobPort}, ${stack.azurite.queuePort}, ${stack.azurite.tablePort} (data in ${path.relative(appRoot, options.stateDir) || '.'}/azurite)`,
      '',
      'Try it:',
      `  curl -s -X POST ${api}/jobs -H 'content-type: application/json' -d '${body}'`,
      `  curl -s ${api}/jobs/<jobId>`,
      `  curl -s ${api}/jobs/<jobId>/devices`,
      '',
      'If the host crashes it is restarted; Azurite and the emulator keep running.',
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

/** Host first (it uses the others), then the emulator and Azurite; each awaited to its end. */
async function stopStack(stack: Stack): Promise<void> {
  process.stdout.write('Stopping the local host, the IoT Hub emulator and Azurite...\n');
  await stack.host?.stop('SIGTERM');
  await Promise.allSettled([stack.hub?.close(), stack.azurite?.stop()]);
  process.stdout.write('Stopped.\n');
}

async function main(): Promise<void> {
  const options = readOptions();
  await ensurePortsFree(options);
  const stack: Stack = {};
  let stopping: Promise<void> | undefined;
  const stop = (exitCode: number): void => {
    stopping ??= stopStack(stack).finally(() => process.exit(exitCode));
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  try {
    const host = await startStack(options, stack, () => stop(1));
    const { baseUrl } = host.current();
    const health = await waitForHealth(baseUrl);
    if (!health.ok) process.stdout.write(`\nWARNING: ${baseUrl}/health answers: ${health.last}\n`);
    printWelcome(options, stack as Required<Stack>);
  } catch (error) {
    process.stderr.write(
      `npm start failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    stop(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
