import { writeIfUnchanged } from './conditionalWrites';
import type { TableClient, TableEntity, TableEntityResult } from '@azure/data-tables';
import type { Clock } from '../core/clock';
import type { StorageCallOptions } from '../core/storageCallOptions';
import type { IdempotencyRecord, IdempotencyStore } from '../core/idempotencyStore';
import { fromJsonProperties, toJsonProperties } from './chunkedJson';
import { undefinedWhenNotFound } from './storageErrors';
import { encodeBoundedKey } from './tableKeys';

const maxClaimAttempts = 5;
const systemClock: Clock = { now: () => new Date() };

/**
 * `Idempotency-Key` records in `<prefix>idempotency`: PK the encoded scope (route), RK the
 * encoded key. A claim is an insert, so exactly one caller wins a fresh key; an expired record
 * is replaced under its ETag, so exactly one caller wins that too.
 */
export class TableIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly table: () => Promise<TableClient>,
    private readonly clock: Clock = systemClock,
  ) {}

  async claim(
    scope: string,
    key: string,
    record: IdempotencyRecord,
    options: StorageCallOptions = {},
  ): Promise<IdempotencyRecord | undefined> {
    const client = await this.table();
    const entity = toEntity(scope, key, record);
    for (let attempt = 0; attempt < maxClaimAttempts; attempt++) {
      const existing = await this.read(client, scope, key, options);
      if (existing !== undefined && !this.isExpired(existing)) return fromEntity(existing);
      if ((await writeIfUnchanged(client, entity, existing?.etag, options)) !== undefined) {
        return undefined;
      }
    }
    throw new Error(`Idempotency key could not be claimed after ${maxClaimAttempts} attempts.`);
  }

  async complete(
    scope: string,
    key: string,
    record: IdempotencyRecord,
    options: StorageCallOptions = {},
  ): Promise<void> {
    const client = await this.table();
    await client.upsertEntity(toEntity(scope, key, record), 'Replace', options);
  }

  async release(scope: string, key: string, options: StorageCallOptions = {}): Promise<void> {
    const client = await this.table();
    await undefinedWhenNotFound(() =>
      client.deleteEntity(encodeBoundedKey(scope), encodeBoundedKey(key), options),
    );
  }

  private read(
    client: TableClient,
    scope: string,
    key: string,
    options: StorageCallOptions,
  ): Promise<TableEntityResult<Record<string, unknown>> | undefined> {
    return undefinedWhenNotFound(() =>
      client.getEntity<Record<string, unknown>>(
        encodeBoundedKey(scope),
        encodeBoundedKey(key),
        options,
      ),
    );
  }

  private isExpired(entity: Record<string, unknown>): boolean {
    const expiresMs = Date.parse(String(entity.expiresAt));
    return Number.isNaN(expiresMs) || expiresMs <= this.clock.now().getTime();
  }
}

function toEntity(scope: string, key: string, record: IdempotencyRecord): TableEntity {
  return {
    partitionKey: encodeBoundedKey(scope),
    rowKey: encodeBoundedKey(key),
    requestHash: record.requestHash,
    state: record.state,
    expiresAt: record.expiresAt,
    ...(record.response === undefined ? {} : toJsonProperties('response', record.response)),
  };
}

function fromEntity(entity: Record<string, unknown>): IdempotencyRecord {
  const response = fromJsonProperties(entity, 'response');
  return {
    requestHash: String(entity.requestHash),
    state: entity.state === 'done' ? 'done' : 'inFlight',
    expiresAt: String(entity.expiresAt),
    ...(response === undefined ? {} : { response: response as IdempotencyRecord['response'] }),
  };
}
