import { readJsonBody } from '../http/readJsonBody';
import {
  anyOtherProblem,
  bodyProblems,
  jsonAnswer,
  locationHeader,
  problemAnswer,
} from '../http/httpApi';
import { createRollout } from '../rollouts/createRollout';
import { dryRunRollout } from '../rollouts/dryRunRollout';
import { rolloutDryRunResponseSchema } from '../rollouts/estimateRollout';
import { rolloutResourceSchema } from '../rollouts/rolloutResourceSchema';
import {
  parseRolloutRequest,
  rolloutIdSchema,
  rolloutRequestSchema,
} from '../rollouts/rolloutRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { toHttpResponse } from './jobResponses';
import { rolloutIdParam } from './requestParams';
import { rolloutResponse } from './rolloutResponses';

/** PUT /rollouts/{rolloutId}: 200 when the same rollout is stored, 409 when a different one is. */
export const putRolloutHandler = httpHandler(async ({ request, services, deps }) => {
  const rolloutId = rolloutIdParam(request);
  const body = await readJsonBody(request, services.settings.maxRolloutRequestBytes);
  const parsed = parseRolloutRequest(body, services.rolloutRules);
  if (parsed.dryRun) return { status: 200, jsonBody: await dryRunRollout(parsed, deps) };
  const { rollout, created } = await createRollout(
    { request: parsed, rolloutId, mode: 'put' },
    deps,
  );
  return toHttpResponse(rolloutResponse(created ? 202 : 200, rollout, true));
});

export const putRolloutFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'putRollout',
  options: {
    methods: ['PUT'],
    authLevel: 'function',
    route: 'rollouts/{rolloutId}',
    handler: putRolloutHandler,
  },
  api: {
    summary: 'Start a rollout under a chosen id, idempotently.',
    pathParameters: { rolloutId: rolloutIdSchema },
    requestBody: rolloutRequestSchema,
    responses: {
      '200': jsonAnswer(
        'The rollout already exists with the same body (or dryRun: the plan, nothing stored).',
        rolloutResourceSchema.or(rolloutDryRunResponseSchema),
        locationHeader,
      ),
      '202': jsonAnswer(
        'Accepted: stored, its first step queued.',
        rolloutResourceSchema,
        locationHeader,
      ),
      '400': problemAnswer('Bad rollout id or body; each bad field is named.'),
      '409': problemAnswer('A rollout with this id exists with a different body.'),
      ...bodyProblems,
      ...anyOtherProblem,
    },
  },
};
