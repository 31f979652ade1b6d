/** A page of results and the token for the next page (absent on the last page). */
export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

/**
 * Every item of a paged source, page by page: `readPage` gets the previous page's token
 * (undefined first) and the walk ends on the page without one.
 */
export async function* allPages<T>(
  readPage: (continuationToken: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<Page<T>> {
  let continuationToken: string | undefined;
  do {
    const page = await readPage(continuationToken);
    yield page;
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
}
