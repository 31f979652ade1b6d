import { anyOtherProblem, jsonAnswer, problemAnswer } from '../http/httpApi';
import { cancelRollout } from '../rollouts/cancelRollout';
import { rolloutResourceSchema } from '../rollouts/rolloutResourceSchema';
import { rolloutIdSchema } from '../rollouts/rolloutRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { idempotentPost } from './idempotentPost';
import { rolloutIdParam } from './requestParams';
import { rolloutResponse } from './rolloutResponses';

/** 200 with the rollout cancelled: nothing more starts, its running chunks are cancelled at the hub. */
export const cancelRolloutHandler = httpHandler(async (invocation) => {
  const rolloutId = rolloutIdParam(invocation.request);
  return idempotentPost(invocation, 'cancelRollout', null, async () =>
    rolloutResponse(200, await cancelRollout(rolloutId, invocation.deps)),
  );
});

export const cancelRolloutFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'cancelRollout',
  options: {
    methods: ['POST'],
    authLevel: 'function',
    route: 'rollouts/{rolloutId}/cancel',
    handler: cancelRolloutHandler,
  },
  api: {
    summary:
      'Cancel a rollout: no further chunk starts, the running ones are cancelled at the hub.',
    pathParameters: { rolloutId: rolloutIdSchema },
    idempotencyKey: true,
    responses: {
      '200': jsonAnswer('The rollout, cancelled.', rolloutResourceSchema),
      '400': problemAnswer('Bad rollout id or Idempotency-Key.'),
      '404': problemAnswer('No such rollout.'),
      '409': problemAnswer(
        'The rollout has already ended, or the same Idempotency-Key is in progress.',
      ),
      '422': problemAnswer('This Idempotency-Key was used for a different request.'),
      ...anyOtherProblem,
    },
  },
};
