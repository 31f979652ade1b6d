import { listJobs } from '../jobs/jobQueries';
import { toJobResource } from '../jobs/schemas';
import { parseJobListQuery } from '../http/queryParams';
import { anyOtherProblem, jsonAnswer, problemAnswer } from '../http/httpApi';
import { jobListQuerySchema, jobListResponseSchema } from '../jobs/schemas';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { pageAnswer } from './listAnswers';

export const listJobsHandler = httpHandler(async ({ request, deps }) => {
  const { pageSize, continuationToken, ...filter } = parseJobListQuery(request.query);
  const page = await listJobs(filter, { pageSize, continuationToken }, deps);
  return pageAnswer(page, toJobResource);
});

export const listJobsFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'listJobs',
  options: { methods: ['GET'], authLevel: 'function', route: 'jobs', handler: listJobsHandler },
  api: {
    summary: 'Jobs, newest first, paged.',
    description:
      "List items show `lastPolledAt` and `updatedAt` as of the job's last change of anything " +
      'else; GET /jobs/{jobId} shows the latest. A continuation token continues only the ' +
      'filter it was issued for.',
    query: jobListQuerySchema,
    responses: {
      '200': jsonAnswer('One page of jobs.', jobListResponseSchema),
      '400': problemAnswer(
        'A bad or unknown query parameter, each named; or a continuation token not issued for this filter (INVALID_CONTINUATION_TOKEN).',
      ),
      ...anyOtherProblem,
    },
  },
};
