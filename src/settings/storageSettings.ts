import { z } from 'zod';
import type { ReadDeclaration } from './declaration';
import { readDeclared } from './readDeclared';
import { httpUrlSetting, patternSetting, textSetting } from './settingSchemas';
import { parseConnectionString, type Env } from './settingValue';

export type StorageSettings =
  | { kind: 'connectionString'; connectionString: string }
  | {
      kind: 'identity';
      tableServiceUri: string;
      queueServiceUri: string;
      blobServiceUri?: string;
      clientId?: string;
    };

const storagePrefix = 'AzureWebJobsStorage';

/** Never echoes the value: it may hold an account key or a SAS. */
const storageConnectionString = z.string().refine(isStorageConnectionString, {
  message:
    'is malformed: expected UseDevelopmentStorage=true, or AccountName and AccountKey, or service endpoints with a SharedAccessSignature',
});

function isStorageConnectionString(connectionString: string): boolean {
  const pairs = parseConnectionString(connectionString);
  if (pairs.get('usedevelopmentstorage')?.toLowerCase() === 'true') return true;
  if (pairs.has('accountname') && pairs.has('accountkey')) return true;
  const hasEndpoint = ['tableendpoint', 'queueendpoint', 'blobendpoint'].some((k) => pairs.has(k));
  return hasEndpoint && pairs.has('sharedaccesssignature');
}

/**
 * The storage account, read by the app and by the Functions host (its queue trigger and leases):
 * a connection string, or the identity-based `__` settings.
 */
export const storageDeclarations = [
  {
    name: storagePrefix,
    class: 'shared',
    secret: true,
    localOnlyForm:
      'a connection string (`UseDevelopmentStorage=true`, an account key or a SAS); in Azure, the identity-based `AzureWebJobsStorage__*` settings',
    schema: storageConnectionString,
    doc: 'The storage connection string; wins over the identity-based `AzureWebJobsStorage__*` settings.',
  },
  {
    name: `${storagePrefix}__accountName`,
    class: 'shared',
    schema: patternSetting(/^[a-z0-9]{3,24}$/, 'be 3-24 lowercase letters and digits'),
    doc: 'The storage account reached with an identity; the service URIs follow from it.',
  },
  {
    name: `${storagePrefix}__tableServiceUri`,
    class: 'shared',
    schema: httpUrlSetting,
    doc: 'Table service URI, instead of one derived from `AzureWebJobsStorage__accountName`.',
  },
  {
    name: `${storagePrefix}__queueServiceUri`,
    class: 'shared',
    schema: httpUrlSetting,
    doc: 'Queue service URI, instead of one derived from `AzureWebJobsStorage__accountName`.',
  },
  {
    name: `${storagePrefix}__blobServiceUri`,
    class: 'shared',
    schema: httpUrlSetting,
    doc: 'Blob service URI, instead of one derived from the account name; the host keeps its locks there, the app may go without.',
  },
  {
    name: `${storagePrefix}__clientId`,
    class: 'shared',
    schema: textSetting,
    doc: 'Client id of the user-assigned identity that reaches storage.',
  },
] as const satisfies readonly ReadDeclaration[];

export function readStorageSettings(env: Env, problems: string[]): StorageSettings | undefined {
  const values = readDeclared(env, storageDeclarations, problems);
  // A bad value was already named; only report what is missing.
  if (values === undefined) return undefined;
  const connectionString = values[storagePrefix];
  if (connectionString !== undefined) return { kind: 'connectionString', connectionString };
  const accountName = values[`${storagePrefix}__accountName`];
  const uri = (service: 'table' | 'queue' | 'blob'): string | undefined =>
    values[`${storagePrefix}__${service}ServiceUri`] ??
    (accountName === undefined ? undefined : `https://${accountName}.${service}.core.windows.net`);
  const [tableServiceUri, queueServiceUri, blobServiceUri] = [
    uri('table'),
    uri('queue'),
    uri('blob'),
  ];
  if (tableServiceUri === undefined || queueServiceUri === undefined) {
    problems.push(missingStorageProblem(tableServiceUri, queueServiceUri));
    return undefined;
  }
  const clientId = values[`${storagePrefix}__clientId`];
  return {
    kind: 'identity',
    tableServiceUri,
    queueServiceUri,
    ...(blobServiceUri === undefined ? {} : { blobServiceUri }),
    ...(clientId === undefined ? {} : { clientId }),
  };
}

function missingStorageProblem(tableUri?: string, queueUri?: string): string {
  if (tableUri === undefined && queueUri === undefined) {
    return `${storagePrefix} or ${storagePrefix}__accountName (or ${storagePrefix}__tableServiceUri and ${storagePrefix}__queueServiceUri) is required`;
  }
  const missing = tableUri === undefined ? 'tableServiceUri' : 'queueServiceUri';
  return `${storagePrefix}__${missing} is required when ${storagePrefix}__accountName is not set`;
}
