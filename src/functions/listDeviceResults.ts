import type { HttpResponseInit } from '@azure/functions';
import { deviceResultsCsv } from '../jobs/deviceResultsCsv';
import { getJob, listDeviceResults } from '../jobs/jobQueries';
import { toDeviceResultResource } from '../jobs/schemas';
import { parseDeviceResultsQuery } from '../http/queryParams';
import { z } from 'zod';
import { anyOtherProblem, problemAnswer } from '../http/httpApi';
import {
  deviceResultListResponseSchema,
  deviceResultsQuerySchema,
  jobIdSchema,
} from '../jobs/schemas';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler, type HttpInvocation } from './httpEdge';
import { csvDownload, pageAnswer } from './listAnswers';
import { jobIdParam } from './requestParams';

/** Paged JSON, or with `format=csv` every device of the job as one streamed CSV. */
export const listDeviceResultsHandler = httpHandler(async (invocation) => {
  const jobId = jobIdParam(invocation.request);
  const query = parseDeviceResultsQuery(invocation.request.query);
  const filter = query.status === undefined ? {} : { status: query.status };
  if (query.format === 'csv') return csvResponse(jobId, filter, invocation);
  const page = await listDeviceResults(
    jobId,
    filter,
    { pageSize: query.pageSize, continuationToken: query.continuationToken },
    invocation.deps,
  );
  return pageAnswer(page, toDeviceResultResource);
});

async function csvResponse(
  jobId: string,
  filter: { status?: string },
  { deps }: HttpInvocation,
): Promise<HttpResponseInit> {
  await getJob(jobId, deps);
  return csvDownload(`${jobId}-devices`, deviceResultsCsv(jobId, filter, deps));
}

export const listDeviceResultsFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'listDeviceResults',
  options: {
    methods: ['GET'],
    authLevel: 'function',
    route: 'jobs/{jobId}/devices',
    handler: listDeviceResultsHandler,
  },
  api: {
    summary: "Each device's outcome in the job, paged; format=csv streams CSV.",
    pathParameters: { jobId: jobIdSchema },
    query: deviceResultsQuerySchema,
    responses: {
      '200': {
        description: 'One page of device results (JSON), or all of them as CSV.',
        content: { 'application/json': deviceResultListResponseSchema, 'text/csv': z.string() },
      },
      '400': problemAnswer(
        "Bad job id or query parameter; or a continuation token not issued for this job's listing with this filter.",
      ),
      '404': problemAnswer('No such job.'),
      ...anyOtherProblem,
    },
  },
};
