import { isHttpUrl, parseConnectionString, readSetting, shown, type Env } from './settingValue';

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

export function readStorageSettings(env: Env, problems: string[]): StorageSettings | undefined {
  const connectionString = readSetting(env, storagePrefix);
  if (connectionString !== undefined) {
    if (isStorageConnectionString(connectionString)) {
      return { kind: 'connectionString', connectionString };
    }
    problems.push(
      `${storagePrefix} is malformed: expected UseDevelopmentStorage=true, or AccountName and AccountKey, or service endpoints with a SharedAccessSignature`,
    );
    return undefined;
  }
  return readIdentityStorageSettings(env, problems);
}

function isStorageConnectionString(connectionString: string): boolean {
  const pairs = parseConnectionString(connectionString);
  if (pairs.get('usedevelopmentstorage')?.toLowerCase() === 'true') return true;
  if (pairs.has('accountname') && pairs.has('accountkey')) return true;
  const hasEndpoint = ['tableendpoint', 'queueendpoint', 'blobendpoint'].some((k) => pairs.has(k));
  return hasEndpoint && pairs.has('sharedaccesssignature');
}

function readIdentityStorageSettings(env: Env, problems: string[]): StorageSettings | undefined {
  const problemsBefore = problems.length;
  const accountName = readSetting(env, `${storagePrefix}__accountName`);
  if (accountName !== undefined && !/^[a-z0-9]{3,24}$/.test(accountName)) {
    problems.push(
      `${storagePrefix}__accountName must be 3-24 lowercase letters and digits (got ${shown(accountName)})`,
    );
    return undefined;
  }
  const uri = (service: 'table' | 'queue' | 'blob'): string | undefined => {
    const name = `${storagePrefix}__${service}ServiceUri`;
    const value = readSetting(env, name);
    if (value === undefined) {
      return accountName === undefined
        ? undefined
        : `https://${accountName}.${service}.core.windows.net`;
    }
    if (isHttpUrl(value)) return value;
    problems.push(`${name} must be an http(s) URL (got ${shown(value)})`);
    return undefined;
  };
  const [tableServiceUri, queueServiceUri, blobServiceUri] = [
    uri('table'),
    uri('queue'),
    uri('blob'),
  ];
  if (tableServiceUri === undefined || queueServiceUri === undefined) {
    // A bad URI was already named; only report what is missing.
    if (problems.length === problemsBefore)
      problems.push(missingStorageProblem(tableServiceUri, queueServiceUri));
    return undefined;
  }
  const clientId = readSetting(env, `${storagePrefix}__clientId`);
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
