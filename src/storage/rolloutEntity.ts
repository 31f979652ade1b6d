import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import { ConcurrencyError } from '../core/errors';
import { terminalRolloutStatuses, type Rollout, type StoredRollout } from '../rollouts/rollout';
import { fromJsonProperties, toJsonProperties } from './chunkedJson';
import { invertedTimeKey } from './tableKeys';

/**
 * Layout of the rollout tables (docs/storage.md). In the rollouts table each rollout's truth sits
 * alone in its partition (PK rollout id, RK `rolloutTruthRowKey`); `rolloutListPartition` (a `_`,
 * which no rollout id holds) keeps one small index row per rollout, newest first. Active markers
 * have a table of their own, in the one partition `rolloutActivePartition` (RK rollout id).
 */
export const rolloutTruthRowKey = 'rollout';
export const rolloutListPartition = '_byTime';
export const rolloutActivePartition = '_active';
export const rolloutIdPattern = /^[A-Za-z0-9-]{1,40}$/;
/** An entity holds at most 1 MiB and a string character takes two bytes: room for the columns. */
export const maxRolloutJsonChars = 500_000;

export function rolloutIndexRowKey(rollout: Pick<Rollout, 'rolloutId' | 'createdAt'>): string {
  const createdMs = Date.parse(rollout.createdAt);
  if (Number.isNaN(createdMs))
    throw new Error(`Rollout ${rollout.rolloutId} has no valid createdAt.`);
  return `${invertedTimeKey(createdMs)}-${rollout.rolloutId}`;
}

/** The truth at `version`; `listedVersion` is the last version whose status the index must show. */
export function toRolloutTruthEntity(
  rollout: Rollout,
  version: number,
  listedVersion: number,
): TableEntity {
  const { revision: _ignored, ...plain } = rollout as Partial<StoredRollout> & Rollout;
  const json = toJsonProperties('rollout', plain);
  const chars = Object.values(json).reduce<number>(
    (sum, part) => sum + (typeof part === 'string' ? part.length : 0),
    0,
  );
  if (chars > maxRolloutJsonChars) {
    // Azure refuses the write (Azurite does not): say why here, on every backend.
    throw new Error(
      `Rollout ${rollout.rolloutId} is too large to store: ${chars} characters of JSON, at most ${maxRolloutJsonChars}.`,
    );
  }
  return {
    partitionKey: rollout.rolloutId,
    rowKey: rolloutTruthRowKey,
    ...plainColumns(rollout, version),
    listedVersion,
    ...json,
  };
}

/** The index row `list` pages through: what its filters need, the rest is read from the truth. */
export function toRolloutIndexEntity(rollout: Rollout, version: number): TableEntity {
  return {
    partitionKey: rolloutListPartition,
    rowKey: rolloutIndexRowKey(rollout),
    ...plainColumns(rollout, version),
  };
}

function plainColumns(rollout: Rollout, version: number): Record<string, string | number> {
  return {
    rolloutId: rollout.rolloutId,
    status: rollout.status,
    createdAt: rollout.createdAt,
    updatedAt: rollout.updatedAt,
    version,
  };
}

/**
 * The token handed out as `StoredRollout.revision`, opaque outside this store:
 * `<version>;<listedVersion>;<status>;<table ETag>`, so an update knows without a read whether
 * the status (and with it the index row) changes.
 */
export interface RolloutRevision {
  version: number;
  listedVersion: number;
  status: string;
  etag: string;
}

export function toRolloutRevision(token: RolloutRevision): string {
  return `${token.version};${token.listedVersion};${token.status};${token.etag}`;
}

/** The token behind a revision; one this store never issued counts as a lost race. */
export function rolloutRevisionOf(rollout: StoredRollout): RolloutRevision {
  const match = /^(\d+);(\d+);([a-z]+);(.+)$/.exec(rollout.revision);
  if (match === null) {
    throw new ConcurrencyError(`Rollout ${rollout.rolloutId}: unknown revision.`);
  }
  return {
    version: Number(match[1]),
    listedVersion: Number(match[2]),
    status: match[3] ?? '',
    etag: match[4] ?? '',
  };
}

export interface RolloutRow {
  stored: StoredRollout;
  version: number;
  listedVersion: number;
}

/** Reads a truth row; a row without versions reads as version 0. */
export function fromRolloutTruth(entity: TableEntityResult<Record<string, unknown>>): RolloutRow {
  const value = fromJsonProperties(entity, 'rollout') as Rollout | undefined;
  if (value === undefined)
    throw new Error(`Rollout row ${String(entity.partitionKey)} holds no rollout.`);
  const version = typeof entity.version === 'number' ? entity.version : 0;
  const listedVersion = typeof entity.listedVersion === 'number' ? entity.listedVersion : version;
  const revision = toRolloutRevision({
    version,
    listedVersion,
    status: value.status,
    etag: entity.etag,
  });
  return { stored: { ...value, revision }, version, listedVersion };
}

/** `rollout` stored under the revision `token` stands for. */
export function withRevision(rollout: Rollout, token: RolloutRevision): StoredRollout {
  const { revision: _stale, ...plain } = rollout as Partial<StoredRollout> & Rollout;
  return { ...plain, revision: toRolloutRevision(token) };
}

export function isTerminalStatus(status: string): boolean {
  return (terminalRolloutStatuses as ReadonlySet<string>).has(status);
}
