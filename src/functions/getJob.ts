import { anyOtherProblem, jsonAnswer, problemAnswer } from '../http/httpApi';
import { jobIdSchema, jobResourceSchema } from '../jobs/schemas';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { getJob } from '../jobs/jobQueries';
import { httpHandler } from './httpEdge';
import { jobResponse, toHttpResponse } from './jobResponses';
import { jobIdParam } from './requestParams';

export const getJobHandler = httpHandler(async ({ request, deps }) => {
  const job = await getJob(jobIdParam(request), deps);
  return toHttpResponse(jobResponse(200, job));
});

export const getJobFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'getJob',
  options: {
    methods: ['GET'],
    authLevel: 'function',
    route: 'jobs/{jobId}',
    handler: getJobHandler,
  },
  api: {
    summary: 'The stored job: status, statistics, timestamps, hub status message.',
    pathParameters: { jobId: jobIdSchema },
    responses: {
      '200': jsonAnswer('The job.', jobResourceSchema),
      '400': problemAnswer('Bad job id.'),
      '404': problemAnswer('No such job.'),
      ...anyOtherProblem,
    },
  },
};
