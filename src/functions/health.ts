import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { getServices, type Services } from '../composition';
import { HubCallError } from '../core/hubCallError';
import { problemResponse, toProblem } from '../http/problem';
import { SettingsError } from '../settings';
import { z } from 'zod';
import { problemAnswer } from '../http/httpApi';
import type { ApiFunctionDeclaration } from './functionDeclaration';

const checkSchema = z.object({ status: z.enum(['ok', 'down']), detail: z.string().optional() });
const healthReportSchema = z.object({
  status: z.literal('ok'),
  checks: z.object({ settings: checkSchema, storage: checkSchema, hub: checkSchema }),
});

type Check = { status: 'ok' } | { status: 'down'; detail: string };
type Checks = Record<'settings' | 'storage' | 'hub', Check>;

/** 200 `{status:'ok', checks}`, or 503 problem+json naming what is down (settings, storage, hub). */
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
  const [storage, hub] = await Promise.all([checkStorage(services), checkHub(services)]);
  const checks: Checks = { settings: { status: 'ok' }, storage, hub };
  if (storage.status === 'ok' && hub.status === 'ok') {
    return { status: 200, jsonBody: { status: 'ok', checks } };
  }
  context.warn(`Unhealthy: ${JSON.stringify(checks)}`);
  return unhealthy(checks);
}

function unhealthy(checks: Checks): HttpResponseInit {
  const down = Object.entries(checks)
    .filter(([, check]) => check.status === 'down')
    .map(([name]) => name);
  return problemResponse(503, 'Service unavailable', `Down: ${down.join(', ')}.`, {
    type: 'urn:hubjobs:problem:unhealthy',
    code: 'UNHEALTHY',
    down,
    checks,
  });
}

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
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Check>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'down', detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const probed = services.probeHub().then(
    (): Check => ({ status: 'ok' }),
    (error: unknown): Check => ({ status: 'down', detail: hubFailure(error) }),
  );
  try {
    return await Promise.race([probed, timedOut]);
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
    summary: 'Configuration loaded, storage and hub reachable.',
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
