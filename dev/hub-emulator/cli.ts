import { CliUsageError, cliUsage, parseCliOptions } from './cliOptions';
import { startHubEmulator } from './server';

/** `npm run hub -- --port 18443 --devices 1000 ...`: runs the emulator until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let options;
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`hub emulator: ${error.message}\n\n${cliUsage}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${cliUsage}\n`);
    return;
  }
  const hub = await startHubEmulator(options);
  // Keys stay out of the output; the info file (mode 600) carries both connection strings.
  process.stdout.write(
    `IoT Hub emulator listening at ${hub.endpoint} as ${hub.hostName} ` +
      (hub.restored
        ? `(state from ${options.stateDir ?? ''}, tier ${options.tier ?? 'S1'}); CA: ${hub.caFile}`
        : `(${options.devices ?? 0} devices, tier ${options.tier ?? 'S1'}); CA: ${hub.caFile}`) +
      (hub.mqttEndpoint ? `; devices connect at ${hub.mqttEndpoint} (as ${hub.deviceId})` : '') +
      (options.infoFile ? `; info: ${options.infoFile}` : '') +
      '\n',
  );
  const stop = (signal: string) => {
    process.stdout.write(`hub emulator: ${signal}, closing\n`);
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`hub emulator: close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`hub emulator: failed to start: ${message}\n`);
  process.exit(1);
});
