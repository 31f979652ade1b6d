import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { StorageSettings } from '../settings';

/** How to reach the storage account: exactly what the settings module reads from `AzureWebJobsStorage*`. */
export type StorageConnection = StorageSettings;

/** Clients by name; each table, queue and container is created once, at first use, if missing. */
export interface StorageClients {
  table(name: string): Promise<TableClient>;
  queue(name: string): Promise<QueueClient>;
  container(name: string): Promise<ContainerClient>;
  /** Clients without the create-if-missing step (probes that must not create anything). */
  tableClient(name: string): TableClient;
  queueClient(name: string): QueueClient;
  /** A container someone else owns (a producer's), read as it is: never created. */
  containerClient(name: string): ContainerClient;
}

interface ServiceClients {
  tableClient(name: string): TableClient;
  queueService: QueueServiceClient;
  blobService?: BlobServiceClient;
}

/** The one place that builds Storage SDK clients. `credential` overrides the default for tests. */
export function createStorageClients(
  connection: StorageConnection,
  options: { credential?: TokenCredential } = {},
): StorageClients {
  const services =
    connection.kind === 'connectionString'
      ? fromConnectionString(connection.connectionString)
      : fromIdentity(connection, options.credential);
  return {
    tableClient: (name) => services.tableClient(name),
    queueClient: (name) => services.queueService.getQueueClient(name),
    containerClient: (name) => blobServiceOf(services).getContainerClient(name),
    table: ensureOnce((name) => {
      const client = services.tableClient(name);
      return client.createTable().then(() => client);
    }),
    queue: ensureOnce((name) => {
      const client = services.queueService.getQueueClient(name);
      return client.createIfNotExists().then(() => client);
    }),
    container: ensureOnce((name) => {
      const client = blobServiceOf(services).getContainerClient(name);
      return client.createIfNotExists().then(() => client);
    }),
  };
}

function blobServiceOf(services: ServiceClients): BlobServiceClient {
  if (services.blobService === undefined) {
    throw new Error('Blob storage is not configured (AzureWebJobsStorage__blobServiceUri).');
  }
  return services.blobService;
}

function fromConnectionString(connectionString: string): ServiceClients {
  // Azurite speaks plain http; the Tables SDK refuses that unless told (the other SDKs do not ask).
  const allowInsecureConnection =
    /UseDevelopmentStorage=true|DefaultEndpointsProtocol=http(;|$)|=\s*http:\/\//i.test(
      connectionString,
    );
  return {
    tableClient: (name) =>
      TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection }),
    queueService: QueueServiceClient.fromConnectionString(connectionString),
    blobService: BlobServiceClient.fromConnectionString(connectionString),
  };
}

function fromIdentity(
  connection: Extract<StorageConnection, { kind: 'identity' }>,
  credential?: TokenCredential,
): ServiceClients {
  const tokenCredential =
    credential ?? new DefaultAzureCredential({ managedIdentityClientId: connection.clientId });
  const blobUri = connection.blobServiceUri;
  return {
    tableClient: (name) => new TableClient(connection.tableServiceUri, name, tokenCredential),
    queueService: new QueueServiceClient(connection.queueServiceUri, tokenCredential),
    blobService:
      blobUri === undefined ? undefined : new BlobServiceClient(blobUri, tokenCredential),
  };
}

/** Memoises one creation per name; a failed creation is forgotten so the next call tries again. */
function ensureOnce<T>(create: (name: string) => Promise<T>): (name: string) => Promise<T> {
  const created = new Map<string, Promise<T>>();
  return (name) => {
    let pending = created.get(name);
    if (pending === undefined) {
      pending = Promise.resolve()
        .then(() => create(name))
        .catch((error: unknown) => {
          created.delete(name);
          throw error;
        });
      created.set(name, pending);
    }
    return pending;
  };
}
