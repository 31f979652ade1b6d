import { cancelJob } from '../jobs/cancelJob';
import type { FunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { idempotentPost } from './idempotentPost';
import { jobResponse } from './jobResponses';
import { jobIdParam } from './requestParams';

/** 200 with the job as cancelled (before submission, or as the hub answered). */
export const cancelJobHandler = httpHandler(async (invocation) => {
  const jobId = jobIdParam(invocation.request);
  return idempotentPost(invocation, 'cancelJob', null, async () =>
    jobResponse(200, await cancelJob(jobId, invocation.deps)),
  );
});

export const cancelJobFunction: FunctionDeclaration = {
  kind: 'http',
  name: 'cancelJob',
  options: {
    methods: ['POST'],
    authLevel: 'function',
    route: 'jobs/{jobId}/cancel',
    handler: cancelJobHandler,
  },
};
