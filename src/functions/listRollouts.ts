import { anyOtherProblem, jsonAnswer, problemAnswer } from '../http/httpApi';
import { listRollouts } from '../rollouts/rolloutQueries';
import { rolloutListResponseSchema, toRolloutResource } from '../rollouts/rolloutResourceSchema';
import { parseRolloutListQuery } from '../http/queryParams';
import { rolloutListQuerySchema } from '../rollouts/rolloutRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { pageAnswer } from './listAnswers';

export const listRolloutsHandler = httpHandler(async ({ request, deps }) => {
  const { pageSize, continuationToken, ...filter } = parseRolloutListQuery(request.query);
  const page = await listRollouts(filter, { pageSize, continuationToken }, deps);
  return pageAnswer(page, toRolloutResource);
});

export const listRolloutsFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'listRollouts',
  options: {
    methods: ['GET'],
    authLevel: 'function',
    route: 'rollouts',
    handler: listRolloutsHandler,
  },
  api: {
    summary: 'Rollouts, newest first, paged.',
    query: rolloutListQuerySchema,
    responses: {
      '200': jsonAnswer('One page of rollouts.', rolloutListResponseSchema),
      '400': problemAnswer(
        'A bad or unknown query parameter, each named; or a bad continuation token.',
      ),
      ...anyOtherProblem,
    },
  },
};
