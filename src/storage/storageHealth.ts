import type { StorageClients } from './createStorageClients';
import { storageErrorStatus } from './storageErrors';

export interface StorageHealth {
  ok: boolean;
  /** One line per unreachable resource, e.g. `table hubjobsjobs: HTTP 403`. Never a secret. */
  problems: string[];
}

/**
 * Cheap reachability probe for /health: reads at most one row of each table and the properties
 * of each queue, each bounded by `timeoutMs` (the SDK's own retries would otherwise take long).
 * It creates nothing; a table or queue not created yet (404) still proves the account answers.
 */
export async function checkStorage(
  clients: StorageClients,
  names: { tables: readonly string[]; queues: readonly string[] },
  options: { timeoutMs?: number } = {},
): Promise<StorageHealth> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const probes = [
    ...names.tables.map((name) => ({
      label: `table ${name}`,
      run: async (abortSignal: AbortSignal) => {
        const pages = clients
          .tableClient(name)
          .listEntities({ abortSignal })
          .byPage({ maxPageSize: 1 });
        await pages.next();
      },
    })),
    ...names.queues.map((name) => ({
      label: `queue ${name}`,
      run: async (abortSignal: AbortSignal) => {
        await clients.queueClient(name).getProperties({ abortSignal });
      },
    })),
  ];
  const results = await Promise.all(
    probes.map((probe) => probeWithin(timeoutMs, probe.label, probe.run)),
  );
  const problems = results.filter((problem): problem is string => problem !== undefined);
  return { ok: problems.length === 0, problems };
}

/** Runs one probe; answers a safe one-line problem, or undefined when it succeeded in time. */
async function probeWithin(
  timeoutMs: number,
  label: string,
  run: (abortSignal: AbortSignal) => Promise<void>,
): Promise<string | undefined> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(`${label}: no answer within ${timeoutMs} ms`);
    }, timeoutMs);
  });
  const probed = run(controller.signal).then(
    () => undefined,
    (error: unknown) =>
      storageErrorStatus(error) === 404 ? undefined : `${label}: ${describeFailure(error)}`,
  );
  try {
    return await Promise.race([probed, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Status or error class only: SDK messages can carry URLs, and URLs can carry SAS tokens. */
function describeFailure(error: unknown): string {
  const status = storageErrorStatus(error);
  if (status !== undefined) return `HTTP ${status}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unreachable';
}
