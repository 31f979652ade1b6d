import * as https from 'node:https';
import { isIP } from 'node:net';
import type { TokenCredential } from '@azure/identity';
import { JobClient, Registry } from 'azure-iothub';

/** How to reach an IoT hub: a connection string, or a host name with an Entra ID credential. */
export type HubConnectionOptions = (
  { connectionString: string } | { hostName: string; credential: TokenCredential }
) & {
  /**
   * Local only: where the hub really listens (`https://127.0.0.1:18443`). The SDK cannot take a
   * port in `HostName`, so requests are redirected at the socket while SAS and `Host` keep the name.
   */
  endpoint?: string;
  /** PEM of the CA that signed the endpoint's certificate. */
  ca?: string | Buffer;
};

export interface HubClients {
  jobClient: JobClient;
  registry: Registry;
}

/** The one place that builds `azure-iothub` clients. */
export function createHubClients(options: HubConnectionOptions): HubClients {
  const jobClient =
    'connectionString' in options
      ? JobClient.fromConnectionString(options.connectionString)
      : JobClient.fromTokenCredential(options.hostName, options.credential);
  const registry =
    'connectionString' in options
      ? Registry.fromConnectionString(options.connectionString)
      : Registry.fromTokenCredential(options.hostName, options.credential);
  if (options.endpoint !== undefined) {
    redirectToEndpoint(jobClient, options.endpoint, options.ca);
    redirectToEndpoint(registry, options.endpoint, options.ca);
  }
  return { jobClient, registry };
}

interface RestApiClientHolder {
  _restApiClient: { setOptions(options: object): void };
}

/**
 * Points an SDK client's sockets at `endpoint`. The client's HTTP agent options win over the
 * request's host and port, so this is the only hook needed (docs/iothub.md, SDK behaviour).
 */
export function redirectToEndpoint(client: object, endpoint: string, ca?: string | Buffer): void {
  const url = new URL(endpoint);
  if (url.protocol !== 'https:') throw new Error(`IoT Hub endpoint must be https: ${endpoint}`);
  const agent = new https.Agent({
    keepAlive: true,
    host: url.hostname,
    port: Number(url.port || 443),
    // TLS SNI cannot carry an IP address; the emulator's certificate names localhost.
    servername: isIP(url.hostname) === 0 ? url.hostname : 'localhost',
  });
  // setOptions replaces the whole options object, so the agent and the CA travel together.
  (client as RestApiClientHolder)._restApiClient.setOptions({
    http: { agent },
    ...(ca === undefined ? {} : { ca }),
  });
}
