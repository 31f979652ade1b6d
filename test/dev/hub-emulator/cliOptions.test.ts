import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliUsageError, parseCliOptions } from '../../../dev/hub-emulator/cliOptions';

describe('parseCliOptions', () => {
  it('maps every flag to an emulator option', () => {
    const options = parseCliOptions([
      '--port',
      '18443',
      '--devices',
      '1000',
      '--tier',
      's2',
      '--seed',
      '4',
      '--seed-time-zones',
      'Europe/Berlin, America/New_York,Asia/Kolkata',
      '--info-file',
      '/tmp/hub.json',
      '--host-name',
      'myhub.azure-devices.net',
      '--cert-dir',
      '/tmp/certs',
      '--state-dir',
      '/tmp/hub-state',
      '--method-latency-ms',
      '20',
      '--transient-failure-share',
      '0.1',
      '--permanent-failure-share',
      '0.05',
      '--offline-share',
      '0.02',
      '--echo-latency-ms',
      '30',
      '--max-active-jobs',
      '3',
      '--jobs-ops-per-minute',
      '500',
      '--queries-per-minute',
      '0',
      '--device-ops-per-second',
      '100',
      '--error-format',
      'legacy',
      '--response-latency-ms',
      '50',
    ]);
    assert.deepEqual(options, {
      port: 18443,
      devices: 1000,
      tier: 'S2',
      seed: 4,
      seedTimeZones: ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'],
      infoFile: '/tmp/hub.json',
      hostName: 'myhub.azure-devices.net',
      certDir: '/tmp/certs',
      stateDir: '/tmp/hub-state',
      methodLatencyMs: 20,
      transientFailureShare: 0.1,
      permanentFailureShare: 0.05,
      offlineShare: 0.02,
      reportedEchoLatencyMs: 30,
      errorFormat: 'legacy',
      responseLatencyMs: 50,
      limits: {
        maxActiveJobs: 3,
        jobsOperationsPerMinute: 500,
        queriesPerMinute: 0,
        deviceOperationsPerSecond: 100,
      },
    });
  });

  it('maps the device-side flags', () => {
    const options = parseCliOptions([
      '--mqtt-port',
      '18883',
      '--mqtt-device',
      'door-1',
      '--unconnected-devices',
      'offline',
    ]);
    assert.deepEqual(options, {
      mqttPort: 18883,
      mqttDeviceId: 'door-1',
      unconnectedDevices: 'offline',
    });
  });

  it('leaves out what was not given', () => {
    assert.deepEqual(parseCliOptions([]), {});
  });

  const invalid: Array<[string[], RegExp]> = [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'abc'], /--port must be a number/],
    [['--port', '70000'], /--port must be a whole number up to 65535/],
    [['--devices', '1.5'], /--devices must be a whole number/],
    [['--tier', 'S9'], /--tier must be F1, S1, S2 or S3/],
    [['--offline-share', '2'], /--offline-share must be between 0 and 1/],
    [['--error-format', 'xml'], /--error-format must be current or legacy/],
    [['--seed-time-zones', 'Europe/Berlin,,Asia/Kolkata'], /--seed-time-zones must be a comma/],
    [['--seed-time-zones', ''], /--seed-time-zones must be a comma/],
    [['--mqtt-port', '8883.5'], /--mqtt-port must be a whole number/],
    [['--unconnected-devices', 'asleep'], /--unconnected-devices must be simulated or offline/],
    [['--state-dir', ' '], /--state-dir must name a directory/],
    [['stray'], /positional/],
  ];
  for (const [args, message] of invalid) {
    it(`refuses ${args.join(' ')} with a clear message`, () => {
      assert.throws(
        () => parseCliOptions(args),
        (error: unknown) => error instanceof CliUsageError && message.test(error.message),
      );
    });
  }
});
