import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { getServices, type Services } from '../composition';
import type { HubQuota, QuotaUsage } from '../core/hubBudget';
import { HubCallError } from '../core/hubCallError';
import { problemResponse, toProblem } from '../http/problem';
import { SettingsError } from '../settings';
import { z } from 'zod';
import { problemAnswer } from '../http/httpApi';
import type { ApiFunctionDeclaration } from './functionDeclaration';

const checkSchema = z.object({ status: z.enum(['ok', 'down']), detail: z.string().optional() });
const quotaUsageSchema = z.object({
  usedLastMinute: z.number().describe('Calls hubjobs granted itself in the last minute.'),
  limitPerMinute: z.number().describe("hubjobs' share of the hub's quota, per minute."),
});
const budgetSchema = z
  .object({ jobsOperations: quotaUsageSchema, queries: quotaUsageSchema })
  .describe(
    'How much of each hub quota hubjobs used in the last minute; absent when it has no budget or the budget could not be read in time.',
  );
const healthReportSchema = z.object({
  status: z.literal('ok'),
  checks: z.object({ settings: checkSchema, storage: checkSchema, hub: checkSchema }),
  budget: budgetSchema.optional(),
});

type Check = { status: 'ok'; detail?: string } | { status: 'down'; detail: string };
type Checks = Record<'settings' | 'storage' | 'hub', Check>;
type BudgetUsage = Record<HubQuota, QuotaUsage>;

/**
 * 200 `{status:'ok', checks, budget}`, or 503 problem+json naming what is down (settings,
 * storage, hub). `budget`, when there is one, says how much of each hub quota the last minute used.
 */
export async function healthHandler(
  _request: unknown,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  let services: Services;
  try {
    services = getServices();
  } catch (error) {
    if (!(error instanceof SettingsError)) return toProblem(error);
    const detail = `invalid or missing: ${error.settingNames.join(', ')}`;
    const skipped: Check = { status: 'down', detail: 'not checked: the settings are invalid' };
    return unhealthy({ settings: { status: 'down', detail }, storage: skipped, hub: skipped });
  }
  const storage = await checkStorage(services);
  // Every hub call first draws from the budget, which lives in storage: without storage, none goes.
  const [hub, budget] =
    storage.status === 'ok'
      ? await Promise.all([checkHub(services), budgetUsage(services)])
      : [hubUnreachableWithoutStorage, undefined];
  const checks: Checks = { settings: { status: 'ok' }, storage, hub };
  const usage = budget === undefined ? {} : { budget };
  if (storage.status === 'ok' && hub.status === 'ok') {
    return { status: 200, jsonBody: { status: 'ok', checks, ...usage } };
  }
  context.warn(`Unhealthy: ${JSON.stringify(checks)}`);
  return unhealthy(checks, usage);
}

function unhealthy(checks: Checks, usage: { budget?: BudgetUsage } = {}): HttpResponseInit {
  const down = Object.entries(checks)
    .filter(([, check]) => check.status === 'down')
    .map(([name]) => name);
  return problemResponse(503, 'Service unavailable', `Down: ${down.join(', ')}.`, {
    type: 'urn:hubjobs:problem:unhealthy',
    code: 'UNHEALTHY',
    down,
    checks,
    ...usage,
  });
}

const hubUnreachableWithoutStorage: Check = {
  status: 'down',
  detail: 'not checked: hub calls draw from the hub budget, kept in storage, which is down',
};

async function checkStorage(services: Services): Promise<Check> {
  try {
    const health = await services.storage.checkHealth({ timeoutMs: services.healthProbeTimeoutMs });
    return health.ok ? { status: 'ok' } : { status: 'down', detail: health.problems.join('; ') };
  } catch (error) {
    return { status: 'down', detail: error instanceof Error ? error.name : 'unreachable' };
  }
}

async function checkHub(services: Services): Promise<Check> {
  const timeoutMs = services.healthProbeTimeoutMs;
  const probed = services.probeHub().then(
    (): Check => ({ status: 'ok' }),
    (error: unknown): Check => hubCheckOf(error),
  );
  return withinTimeout(probed, timeoutMs, {
    status: 'down',
    detail: `no answer within ${timeoutMs} ms`,
  });
}

/** A probe the budget did not allow says nothing about the hub: hubjobs is busy, not broken. */
function hubCheckOf(error: unknown): Check {
  if (error instanceof HubCallError && error.kind === 'overBudget') {
    return { status: 'ok', detail: 'not probed: the hub budget is spent for now' };
  }
  return { status: 'down', detail: hubFailure(error) };
}

/** The budget's last minute, or undefined when there is none or it could not be read in time. */
async function budgetUsage(services: Services): Promise<BudgetUsage | undefined> {
  const budget = services.hubBudget;
  if (budget === undefined) return undefined;
  const timeoutMs = services.healthProbeTimeoutMs;
  const read = budget.usage({ abortSignal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined);
  return withinTimeout(read, timeoutMs, undefined);
}

async function withinTimeout<T>(promise: Promise<T>, timeoutMs: number, late: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late), timeoutMs);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Classification and status only: hub messages are not shown to anonymous callers. */
function hubFailure(error: unknown): string {
  if (!(error instanceof HubCallError)) return 'unreachable';
  const status = error.details.status === undefined ? '' : ` (HTTP ${error.details.status})`;
  return `${error.kind}${status}`;
}

export const healthFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'health',
  options: { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: healthHandler },
  api: {
    summary: "Configuration loaded, storage and hub reachable, and the hub budget's last minute.",
    responses: {
      '200': {
        description: 'Everything is up.',
        content: { 'application/json': healthReportSchema },
      },
      '503': problemAnswer(
        'Something is down: `down` lists settings, storage or hub; `checks` says why.',
      ),
    },
  },
};
