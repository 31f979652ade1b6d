import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { anyOtherProblem, problemAnswer } from '../http/httpApi';
import { parseQueryParams } from '../http/queryParams';
import { listRolloutDevices, type RolloutDevicesFilter } from '../rollouts/rolloutDeviceQueries';
import { rolloutDevicesCsv } from '../rollouts/rolloutDevicesCsv';
import {
  rolloutDeviceListResponseSchema,
  rolloutDevicesQuerySchema,
  toRolloutDeviceResource,
} from '../rollouts/rolloutDevicesSchema';
import { rolloutIdSchema } from '../rollouts/rolloutRequestSchema';
import { getRollout } from '../rollouts/rolloutQueries';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler, type HttpInvocation } from './httpEdge';
import { csvDownload, pageAnswer } from './listAnswers';
import { rolloutIdParam } from './requestParams';

/** Paged JSON, or with `format=csv` every device of the rollout as one streamed CSV. */
export const listRolloutDevicesHandler = httpHandler(async (invocation) => {
  const rolloutId = rolloutIdParam(invocation.request);
  const query = parseQueryParams(rolloutDevicesQuerySchema, invocation.request.query);
  const filter = query.outcome === undefined ? {} : { outcome: query.outcome };
  if (query.format === 'csv') return csvResponse(rolloutId, filter, invocation);
  const page = await listRolloutDevices(
    rolloutId,
    filter,
    { pageSize: query.pageSize, continuationToken: query.continuationToken },
    invocation.deps,
  );
  return pageAnswer(page, toRolloutDeviceResource);
});

async function csvResponse(
  rolloutId: string,
  filter: RolloutDevicesFilter,
  { deps }: HttpInvocation,
): Promise<HttpResponseInit> {
  await getRollout(rolloutId, deps);
  return csvDownload(`${rolloutId}-devices`, rolloutDevicesCsv(rolloutId, filter, deps));
}

export const listRolloutDevicesFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'listRolloutDevices',
  options: {
    methods: ['GET'],
    authLevel: 'function',
    route: 'rollouts/{rolloutId}/devices',
    handler: listRolloutDevicesHandler,
  },
  api: {
    summary:
      'Each device of the rollout with its latest attempt, in device-id order, paged; format=csv streams CSV.',
    pathParameters: { rolloutId: rolloutIdSchema },
    query: rolloutDevicesQuerySchema,
    responses: {
      '200': {
        description: 'One page of merged device rows (JSON), or all of them as CSV.',
        content: {
          'application/json': rolloutDeviceListResponseSchema,
          'text/csv': z.string(),
        },
      },
      '400': problemAnswer(
        "Bad rollout id or query parameter; or a continuation token not issued for this rollout's listing with this filter.",
      ),
      '404': problemAnswer('No such rollout.'),
      ...anyOtherProblem,
    },
  },
};
