import { TableClient, type TableEntity } from '@azure/data-tables';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { devAccountName, startAzurite } from '../../test/support/azurite';

/** Rows for one table, as the Tables SDK would send them (`partitionKey`, `rowKey`, properties). */
export interface TableSeed {
  table: string;
  entities: readonly TableEntity[];
}

type Json = Record<string, unknown>;

interface LokiCollection {
  name: string;
  data: Json[];
  idIndex: unknown;
  maxId: number;
  binaryIndices: Record<string, { name: string; dirty: boolean; values: number[] }>;
}

/**
 * Prepares an Azurite `--location` folder that already holds `seeds`, for history far larger than
 * Azurite accepts through its API in reasonable time: its LokiJS store finds a row by scanning the
 * whole partition, so every insert into a partition of n rows costs O(n) and bulk loading is
 * quadratic (10,000 rows took ~30 s, the next 10,000 ~90 s). Azurite creates the tables itself;
 * the rows are then written into its database file in the layout it uses (azurite 3.x, LokiJS
 * 1.5), and it loads them on the next start. Callers read a row back to prove the layout held.
 */
export async function seedAzuriteFolder(
  folder: string,
  seeds: readonly TableSeed[],
): Promise<void> {
  const azurite = await startAzurite({ location: folder });
  try {
    for (const { table } of seeds) {
      await TableClient.fromConnectionString(azurite.connectionString, table, {
        allowInsecureConnection: true,
      }).createTable();
    }
  } finally {
    await azurite.stop();
  }
  const file = path.join(folder, '__azurite_db_table__.json');
  const database = JSON.parse(await readFile(file, 'utf8')) as { collections: LokiCollection[] };
  for (const seed of seeds) {
    const name = `${devAccountName}$${seed.table}`;
    const collection = database.collections.find((candidate) => candidate.name === name);
    if (collection === undefined) throw new Error(`Azurite has no collection ${name}`);
    appendRows(collection, seed.entities);
  }
  await writeFile(file, JSON.stringify(database));
}

function appendRows(collection: LokiCollection, entities: readonly TableEntity[]): void {
  const now = new Date();
  const timestamp = now.toISOString().replace(/Z$/, '0000Z');
  const etag = `W/"datetime'${encodeURIComponent(timestamp)}'"`;
  for (const entity of entities) {
    const { partitionKey, rowKey, ...properties } = entity;
    collection.data.push({
      PartitionKey: partitionKey,
      RowKey: rowKey,
      properties: {
        PartitionKey: partitionKey,
        RowKey: rowKey,
        ...properties,
        Timestamp: timestamp,
        'Timestamp@odata.type': 'Edm.DateTime',
      },
      lastModifiedTime: timestamp,
      eTag: etag,
      meta: { revision: 0, created: now.getTime(), version: 0 },
      $loki: ++collection.maxId,
    });
  }
  // LokiJS rebuilds the id index itself; the binary indices must be sorted positions.
  collection.idIndex = null;
  for (const [property, index] of Object.entries(collection.binaryIndices)) {
    index.values = sortedPositions(collection.data, property);
    index.dirty = false;
  }
}

/** Positions of `rows` ordered by `property` (plain string order: keys here are never numeric). */
function sortedPositions(rows: readonly Json[], property: string): number[] {
  const keys = rows.map((row) => String(row[property]));
  if (keys.some((key) => key.trim() !== '' && !Number.isNaN(Number(key)))) {
    throw new Error(`Numeric ${property} values would sort differently in LokiJS`);
  }
  return keys
    .map((_, position) => position)
    .sort((a, b) => {
      const [left, right] = [keys[a] ?? '', keys[b] ?? ''];
      return left < right ? -1 : left > right ? 1 : a - b;
    });
}
