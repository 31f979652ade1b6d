import { anyOtherProblem, jsonAnswer, problemAnswer } from '../http/httpApi';
import { pauseRollout, resumeRollout } from '../rollouts/pauseRollout';
import { rolloutResourceSchema } from '../rollouts/rolloutResourceSchema';
import { rolloutIdSchema } from '../rollouts/rolloutRequestSchema';
import type { RolloutDeps } from '../rollouts/rolloutDeps';
import type { StoredRollout } from '../rollouts/rollout';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { idempotentPost } from './idempotentPost';
import { rolloutIdParam } from './requestParams';
import { rolloutResponse } from './rolloutResponses';

type Change = (rolloutId: string, deps: RolloutDeps) => Promise<StoredRollout>;

function changeHandler(name: string, change: Change) {
  return httpHandler(async (invocation) => {
    const rolloutId = rolloutIdParam(invocation.request);
    return idempotentPost(invocation, name, null, async () =>
      rolloutResponse(200, await change(rolloutId, invocation.deps)),
    );
  });
}

function changeFunction(
  name: 'pauseRollout' | 'resumeRollout',
  action: 'pause' | 'resume',
  summary: string,
  conflict: string,
): ApiFunctionDeclaration {
  return {
    kind: 'http',
    name,
    options: {
      methods: ['POST'],
      authLevel: 'function',
      route: `rollouts/{rolloutId}/${action}`,
      handler: changeHandler(name, action === 'pause' ? pauseRollout : resumeRollout),
    },
    api: {
      summary,
      pathParameters: { rolloutId: rolloutIdSchema },
      idempotencyKey: true,
      responses: {
        '200': jsonAnswer('The rollout as it is now.', rolloutResourceSchema),
        '400': problemAnswer('Bad rollout id or Idempotency-Key.'),
        '404': problemAnswer('No such rollout.'),
        '409': problemAnswer(`${conflict}, or the same Idempotency-Key is in progress.`),
        '422': problemAnswer('This Idempotency-Key was used for a different request.'),
        ...anyOtherProblem,
      },
    },
  };
}

/** POST /rollouts/{id}/pause: the running chunks finish, nothing new starts until resumed. */
export const pauseRolloutFunction = changeFunction(
  'pauseRollout',
  'pause',
  'Pause a rollout: its running chunks finish, nothing new starts until it is resumed.',
  'The rollout has already ended',
);

/** POST /rollouts/{id}/resume: a paused rollout goes on where it stopped. */
export const resumeRolloutFunction = changeFunction(
  'resumeRollout',
  'resume',
  'Resume a paused rollout where it stopped.',
  'The rollout is not paused',
);
