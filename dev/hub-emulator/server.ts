import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ensureCertificate } from './certificate';
import { deriveHubKey, ownerPolicyName } from './http/auth';
import { startHubServer, type HubHttpOptions, type HubServer } from './http/hubServer';
import { HubModel } from './model';
import type { DeviceBroker } from './mqtt/deviceBroker';
import {
  startDeviceSide,
  type DeviceSideInfo,
  type DeviceSideOptions,
  type RunningDeviceSide,
} from './mqtt/deviceSideSetup';
import { openHubState, type HubState } from './persistence/hubState';
import type { HubEmulatorOptions } from './options';

export type StartHubEmulatorOptions = HubEmulatorOptions &
  HubHttpOptions &
  DeviceSideOptions & {
    /** Once listening, `{ hostName, endpoint, connectionString, caFile }` is written here as JSON. */
    infoFile?: string;
    /** Keep the registry, twins and jobs here across restarts (README, State across restarts). */
    stateDir?: string;
    /** How often a changed state is written to `stateDir`. Default 1000 ms. */
    stateSaveIntervalMs?: number;
  };

/** What a client needs to reach a running emulator (also the info file's content). */
export interface HubEmulatorInfo {
  hostName: string;
  /** Where it really listens: `https://127.0.0.1:<port>`. */
  endpoint: string;
  connectionString: string;
  caFile: string;
}

export interface RunningHubEmulator extends HubEmulatorInfo, Partial<DeviceSideInfo> {
  port: number;
  model: HubModel;
  /** The MQTT broker when the device side is on (`mqttPort`). */
  mqtt?: DeviceBroker;
  /** True when the state came back from `stateDir` rather than from the seed. */
  restored: boolean;
  close(): Promise<void>;
}

/** Starts the emulated hub: certificate, model with its fleet, HTTPS server, info file. */
export async function startHubEmulator(
  options: StartHubEmulatorOptions = {},
): Promise<RunningHubEmulator> {
  const certificate = await ensureCertificate(options.certDir);
  const model = new HubModel(options);
  const state = openState(model, options);
  const key = deriveHubKey(options.seed ?? 1);
  const hostName = options.hostName ?? 'localhost';
  let server: HubServer | undefined;
  let devices: RunningDeviceSide | undefined;
  const close = async () => {
    state?.close();
    model.close();
    await devices?.endpoint.close();
    await server?.close();
  };
  try {
    const policies = [{ name: ownerPolicyName, key }];
    const tls = { cert: certificate.cert, key: certificate.key };
    server = await startHubServer({ model, policies, tls, options });
    if (options.mqttPort !== undefined) {
      devices = await startDeviceSide({
        options,
        model,
        hostName,
        policies,
        tls,
        httpsServer: server.httpsServer,
        httpsPort: server.port,
        log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
      });
    }
    const info: HubEmulatorInfo & Partial<DeviceSideInfo> = {
      hostName,
      endpoint: `https://127.0.0.1:${server.port}`,
      connectionString: `HostName=${hostName};SharedAccessKeyName=${ownerPolicyName};SharedAccessKey=${key}`,
      caFile: certificate.caFile,
      ...devices?.info,
    };
    if (options.infoFile !== undefined) await writeInfoFile(options.infoFile, info);
    return {
      ...info,
      port: server.port,
      model,
      restored: state?.restored ?? false,
      ...(devices ? { mqtt: devices.endpoint.broker } : {}),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function openState(model: HubModel, options: StartHubEmulatorOptions): HubState | undefined {
  if (options.stateDir === undefined) return undefined;
  try {
    return openHubState(options.stateDir, model, {
      ...(options.stateSaveIntervalMs === undefined
        ? {}
        : { saveIntervalMs: options.stateSaveIntervalMs }),
    });
  } catch (error) {
    model.close();
    throw error;
  }
}

/** Written beside and renamed into place, so a reader never sees a half-written file. */
async function writeInfoFile(
  infoFile: string,
  info: HubEmulatorInfo & Partial<DeviceSideInfo>,
): Promise<void> {
  await mkdir(path.dirname(path.resolve(infoFile)), { recursive: true });
  const temporary = `${infoFile}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, infoFile);
}
