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
import { parseRolloutRequest, rolloutRequestSchema } from '../rollouts/rolloutRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { idempotentPost } from './idempotentPost';
import { rolloutResponse } from './rolloutResponses';

/**
 * POST /rollouts: 202 + `Location`, the rollout stored and its first step queued. A `dryRun`
 * answers 200 with the plan and stores nothing, not even an idempotency record.
 */
export const createRolloutHandler = httpHandler(async (invocation) => {
  const { request, services, deps } = invocation;
  const body = await readJsonBody(request, services.settings.maxRolloutRequestBytes);
  const parsed = parseRolloutRequest(body, services.rolloutRules);
  if (parsed.dryRun) {
    return { status: 200, jsonBody: await dryRunRollout(parsed, deps) };
  }
  return idempotentPost(invocation, 'createRollout', body, async () => {
    const { rollout } = await createRollout({ request: parsed, mode: 'post' }, deps);
    return rolloutResponse(202, rollout, true);
  });
});

export const createRolloutFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'createRollout',
  options: {
    methods: ['POST'],
    authLevel: 'function',
    route: 'rollouts',
    handler: createRolloutHandler,
  },
  api: {
    summary:
      'Start a rollout (server-chosen id): one operation over any number of devices, in waves.',
    idempotencyKey: true,
    requestBody: rolloutRequestSchema,
    responses: {
      '200': jsonAnswer(
        'dryRun: the plan and its ETA; nothing stored.',
        rolloutDryRunResponseSchema,
      ),
      '202': jsonAnswer(
        'Accepted: stored, its first step queued.',
        rolloutResourceSchema,
        locationHeader,
      ),
      '400': problemAnswer(
        'The body breaks a rule (each bad field named), or its id blob cannot be used.',
      ),
      '409': problemAnswer('A request with this Idempotency-Key is still in progress.'),
      ...bodyProblems,
      '422': problemAnswer('This Idempotency-Key was used for a different body.'),
      ...anyOtherProblem,
    },
  },
};
