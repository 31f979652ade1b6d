import type { TableClient, TableEntityResult, TableEntityResultPage } from '@azure/data-tables';
import type { StorageCallOptions } from '../core/storageCallOptions';
import { checkContinuationToken } from './tableKeys';

type Row = TableEntityResult<Record<string, unknown>>;

/** One page of a filtered query, resumed from (and handing out) the SDK's opaque token. */
export async function readOnePage(
  client: TableClient,
  filter: string,
  page: { pageSize: number; continuationToken?: string },
  options: StorageCallOptions = {},
): Promise<{ rows: Row[]; continuationToken?: string }> {
  const query = client.listEntities<Record<string, unknown>>({
    ...options,
    queryOptions: { filter },
  });
  const pages = query.byPage({
    maxPageSize: clampPageSize(page.pageSize),
    continuationToken: checkContinuationToken(page.continuationToken),
  });
  const result: IteratorResult<TableEntityResultPage<Record<string, unknown>>> = await pages.next();
  const rows: Row[] = result.done === true ? [] : [...result.value];
  const token = result.done === true ? undefined : result.value.continuationToken;
  return token === undefined ? { rows } : { rows, continuationToken: token };
}

/** Table queries return at most 1000 rows a page. */
export function clampPageSize(pageSize: number): number {
  if (!Number.isFinite(pageSize)) return 100;
  return Math.min(1000, Math.max(1, Math.floor(pageSize)));
}
