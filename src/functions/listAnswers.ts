import type { HttpResponseInit } from '@azure/functions';
import type { Page } from '../core/page';

/** One page as every list route answers it: `{ items, continuationToken? }`. */
export function pageAnswer<T, R>(page: Page<T>, toResource: (item: T) => R): HttpResponseInit {
  return {
    status: 200,
    jsonBody: {
      items: page.items.map(toResource),
      ...(page.continuationToken === undefined
        ? {}
        : { continuationToken: page.continuationToken }),
    },
  };
}

/** A CSV export streamed as `<fileStem>.csv`, row by row. */
export function csvDownload(fileStem: string, rows: AsyncIterable<string>): HttpResponseInit {
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileStem}.csv"`,
    },
    body: utf8(rows),
  };
}

async function* utf8(chunks: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of chunks) yield encoder.encode(chunk);
}
