import type { FunctionDeclaration } from './functionDeclaration';
import { getJob } from '../jobs/jobQueries';
import { httpHandler } from './httpEdge';
import { jobResponse, toHttpResponse } from './jobResponses';
import { jobIdParam } from './requestParams';

export const getJobHandler = httpHandler(async ({ request, deps }) => {
  const job = await getJob(jobIdParam(request), deps);
  return toHttpResponse(jobResponse(200, job));
});

export const getJobFunction: FunctionDeclaration = {
  kind: 'http',
  name: 'getJob',
  options: {
    methods: ['GET'],
    authLevel: 'function',
    route: 'jobs/{jobId}',
    handler: getJobHandler,
  },
};
