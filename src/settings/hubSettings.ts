import { parseConnectionString, readSetting, shown, type Env } from './settingValue';

export type HubSettings =
  | { kind: 'connectionString'; connectionString: string; hostName: string }
  | { kind: 'identity'; hostName: string; clientId?: string };

const hostNamePattern =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function readHubSettings(env: Env, problems: string[]): HubSettings | undefined {
  const connectionString = readSetting(env, 'IOTHUB_CONNECTION_STRING');
  if (connectionString !== undefined) {
    const hostName = hubHostNameOf(connectionString);
    if (hostName !== undefined) return { kind: 'connectionString', connectionString, hostName };
    problems.push(
      'IOTHUB_CONNECTION_STRING is malformed: HostName, SharedAccessKeyName and SharedAccessKey are required (HostName without a port; use IOTHUB_ENDPOINT to reach a local hub)',
    );
    return undefined;
  }
  const hostName = readSetting(env, 'IOTHUB_HOST_NAME');
  if (hostName === undefined) {
    problems.push('IOTHUB_CONNECTION_STRING or IOTHUB_HOST_NAME is required');
    return undefined;
  }
  if (!hostNamePattern.test(hostName)) {
    problems.push(
      `IOTHUB_HOST_NAME must be a host name such as myhub.azure-devices.net, without scheme, port or path (got ${shown(hostName)})`,
    );
    return undefined;
  }
  const clientId = readSetting(env, 'AZURE_CLIENT_ID');
  return { kind: 'identity', hostName, ...(clientId === undefined ? {} : { clientId }) };
}

function hubHostNameOf(connectionString: string): string | undefined {
  const pairs = parseConnectionString(connectionString);
  const hostName = pairs.get('hostname');
  const complete = pairs.has('sharedaccesskeyname') && pairs.has('sharedaccesskey');
  return complete && hostName !== undefined && hostNamePattern.test(hostName)
    ? hostName
    : undefined;
}

export function readHubEndpoint(env: Env, problems: string[]): string | undefined {
  const endpoint = readSetting(env, 'IOTHUB_ENDPOINT');
  if (endpoint === undefined) return undefined;
  const url = URL.parse(endpoint);
  if (url?.protocol === 'https:' && url.hostname !== '' && url.pathname === '/') return endpoint;
  problems.push(
    `IOTHUB_ENDPOINT must be an https URL without a path, such as https://127.0.0.1:18443 (got ${shown(endpoint)})`,
  );
  return undefined;
}
