import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { QueueServiceClient } from '@azure/storage-queue';
import type { SettingValues } from './hostSettings';

/**
 * The client a queue trigger's `connection` names, read the way the Functions host reads it:
 * `<connection>` as a connection string, or `<connection>__queueServiceUri` /
 * `<connection>__accountName` with an Entra ID credential (`<connection>__clientId` for a
 * user-assigned identity).
 */
export function createQueueServiceClient(
  connection: string,
  settings: SettingValues,
): QueueServiceClient {
  const read = (name: string): string | undefined => {
    const value = settings[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const connectionString = read(connection);
  if (connectionString !== undefined)
    return QueueServiceClient.fromConnectionString(connectionString);
  const accountName = read(`${connection}__accountName`);
  const serviceUri =
    read(`${connection}__queueServiceUri`) ??
    (accountName === undefined ? undefined : `https://${accountName}.queue.core.windows.net`);
  if (serviceUri === undefined) {
    throw new Error(
      `Queue connection '${connection}' is not configured: set ${connection}, ${connection}__queueServiceUri or ${connection}__accountName`,
    );
  }
  const clientId = read(`${connection}__clientId`);
  const credential =
    clientId === undefined
      ? new DefaultAzureCredential()
      : new ManagedIdentityCredential({ clientId });
  return new QueueServiceClient(serviceUri, credential);
}
