import { z } from 'zod';
import type { ReadDeclaration } from './declaration';
import { readDeclared } from './readDeclared';
import { patternSetting, textSetting } from './settingSchemas';
import { parseConnectionString, shown, type Env } from './settingValue';

export type HubSettings =
  | { kind: 'connectionString'; connectionString: string; hostName: string }
  | { kind: 'identity'; hostName: string; clientId?: string };

const hostNamePattern =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Never echoes the value: it holds the hub's key. */
const hubConnectionString = z.string().transform((connectionString, context) => {
  const pairs = parseConnectionString(connectionString);
  const hostName = pairs.get('hostname');
  const complete = pairs.has('sharedaccesskeyname') && pairs.has('sharedaccesskey');
  if (complete && hostName !== undefined && hostNamePattern.test(hostName)) {
    return { connectionString, hostName };
  }
  context.addIssue({
    code: 'custom',
    message:
      'is malformed: HostName, SharedAccessKeyName and SharedAccessKey are required (HostName without a port; use IOTHUB_ENDPOINT to reach a local hub)',
  });
  return z.NEVER;
});

const httpsEndpoint = z.string().refine(
  (endpoint) => {
    const url = URL.parse(endpoint);
    return url?.protocol === 'https:' && url.hostname !== '' && url.pathname === '/';
  },
  {
    error: (issue) =>
      `must be an https URL without a path, such as https://127.0.0.1:18443 (got ${shown(String(issue.input))})`,
  },
);

/** How the app reaches the IoT Hub: a connection string, or a host name and an identity. */
export const hubDeclarations = [
  {
    name: 'IOTHUB_CONNECTION_STRING',
    class: 'app',
    secret: true,
    localOnlyForm:
      'a connection string with the hub key; in Azure, `IOTHUB_HOST_NAME` and an identity',
    schema: hubConnectionString,
    doc: 'The hub connection string (`HostName`, `SharedAccessKeyName`, `SharedAccessKey`); wins over `IOTHUB_HOST_NAME`.',
  },
  {
    name: 'IOTHUB_HOST_NAME',
    class: 'app',
    schema: patternSetting(
      hostNamePattern,
      'be a host name such as myhub.azure-devices.net, without scheme, port or path',
    ),
    doc: 'The hub host name, reached with Microsoft Entra ID (`DefaultAzureCredential`).',
  },
  {
    name: 'AZURE_CLIENT_ID',
    class: 'app',
    schema: textSetting,
    doc: 'Client id of the user-assigned identity that reaches the hub; unset, the default credential chain.',
  },
] as const satisfies readonly ReadDeclaration[];

/** Where a local hub (the emulator) really listens, and the CA that signed its certificate. */
export const localHubDeclarations = [
  {
    name: 'IOTHUB_ENDPOINT',
    class: 'local',
    schema: httpsEndpoint,
    doc: "Where the hub really listens (the emulator's https URL); the SDK is pointed there.",
  },
  {
    name: 'IOTHUB_CA_FILE',
    class: 'local',
    schema: textSetting,
    doc: "PEM file of the CA that signed `IOTHUB_ENDPOINT`'s certificate, relative to the app root.",
  },
] as const satisfies readonly ReadDeclaration[];

export function readHubSettings(env: Env, problems: string[]): HubSettings | undefined {
  const values = readDeclared(env, hubDeclarations, problems);
  if (values === undefined) return undefined;
  if (values.IOTHUB_CONNECTION_STRING !== undefined) {
    return { kind: 'connectionString', ...values.IOTHUB_CONNECTION_STRING };
  }
  const hostName = values.IOTHUB_HOST_NAME;
  if (hostName === undefined) {
    problems.push('IOTHUB_CONNECTION_STRING or IOTHUB_HOST_NAME is required');
    return undefined;
  }
  const clientId = values.AZURE_CLIENT_ID;
  return { kind: 'identity', hostName, ...(clientId === undefined ? {} : { clientId }) };
}
