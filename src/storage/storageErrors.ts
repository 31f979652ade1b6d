/** How a failed storage call should be handled, decided by HTTP status (never by `err.code`). */
export type StorageErrorKind =
  'notFound' | 'conflict' | 'preconditionFailed' | 'throttled' | 'transient' | 'other';

/**
 * Classifies a `RestError` from the Storage SDKs. The status code is reliable everywhere, while
 * `err.code` is undefined with Azurite (the service code hides in `details.odataError.code`).
 */
export function classifyStorageError(error: unknown): StorageErrorKind {
  const status = storageErrorStatus(error);
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 412) return 'preconditionFailed';
  if (status === 429 || status === 503) return 'throttled';
  if (status !== undefined && status >= 500) return 'transient';
  return 'other';
}

export function storageErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The service's error code (e.g. `EntityAlreadyExists`), for messages; never for decisions. */
export function storageErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const details = (error as { details?: { odataError?: { code?: unknown }; errorCode?: unknown } })
    .details;
  const code =
    details?.odataError?.code ?? details?.errorCode ?? (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** Runs `call`, turning a 404 into `undefined` and rethrowing everything else. */
export async function undefinedWhenNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (classifyStorageError(error) === 'notFound') return undefined;
    throw error;
  }
}
