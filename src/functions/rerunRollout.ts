import { anyOtherProblem, jsonAnswer, locationHeader, problemAnswer } from '../http/httpApi';
import { rerunRollout } from '../rollouts/rerunRollout';
import { rolloutResourceSchema } from '../rollouts/rolloutResourceSchema';
import { rolloutIdSchema } from '../rollouts/rolloutRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { idempotentPost } from './idempotentPost';
import { rolloutIdParam } from './requestParams';
import { rolloutResponse } from './rolloutResponses';

/** POST /rollouts/{id}/rerun: a new rollout over the devices that failed, 202 + its `Location`. */
export const rerunRolloutHandler = httpHandler(async (invocation) => {
  const rolloutId = rolloutIdParam(invocation.request);
  return idempotentPost(invocation, 'rerunRollout', null, async () =>
    rolloutResponse(202, await rerunRollout(rolloutId, invocation.deps), true),
  );
});

export const rerunRolloutFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'rerunRollout',
  options: {
    methods: ['POST'],
    authLevel: 'function',
    route: 'rollouts/{rolloutId}/rerun',
    handler: rerunRolloutHandler,
  },
  api: {
    summary:
      'Rerun on failed: a new rollout with the same operation over the devices whose latest outcome failed (failed, timed out, offline), linked by rerunOf.',
    pathParameters: { rolloutId: rolloutIdSchema },
    idempotencyKey: true,
    responses: {
      '202': jsonAnswer(
        'The new rollout, stored and started.',
        rolloutResourceSchema,
        locationHeader,
      ),
      '400': problemAnswer('Bad rollout id or Idempotency-Key.'),
      '404': problemAnswer('No such rollout.'),
      '409': problemAnswer(
        'The rollout has not ended, its results are still being imported, it has no failed device, or the same Idempotency-Key is in progress.',
      ),
      '422': problemAnswer('This Idempotency-Key was used for a different request.'),
      ...anyOtherProblem,
    },
  },
};
