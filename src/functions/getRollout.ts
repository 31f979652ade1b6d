import { anyOtherProblem, jsonAnswer, problemAnswer } from '../http/httpApi';
import { getRollout } from '../rollouts/rolloutQueries';
import { rolloutResourceSchema } from '../rollouts/rolloutResourceSchema';
import { rolloutIdSchema } from '../rollouts/rolloutRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { toHttpResponse } from './jobResponses';
import { rolloutIdParam } from './requestParams';
import { rolloutResponse } from './rolloutResponses';

export const getRolloutHandler = httpHandler(async ({ request, deps }) => {
  const rollout = await getRollout(rolloutIdParam(request), deps);
  return toHttpResponse(rolloutResponse(200, rollout));
});

export const getRolloutFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'getRollout',
  options: {
    methods: ['GET'],
    authLevel: 'function',
    route: 'rollouts/{rolloutId}',
    handler: getRolloutHandler,
  },
  api: {
    summary: 'The rollout: status, merged statistics, waves with their chunk jobs.',
    pathParameters: { rolloutId: rolloutIdSchema },
    responses: {
      '200': jsonAnswer('The rollout.', rolloutResourceSchema),
      '400': problemAnswer('Bad rollout id.'),
      '404': problemAnswer('No such rollout.'),
      ...anyOtherProblem,
    },
  },
};
