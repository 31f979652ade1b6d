import { requestCancel } from '../jobs/cancelJob';
import { hubProblems, jsonAnswer, problemAnswer } from '../http/httpApi';
import { jobIdSchema, jobResourceSchema } from '../jobs/schemas';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { idempotentPost } from './idempotentPost';
import { jobResponse } from './jobResponses';
import { jobIdParam } from './requestParams';

/**
 * 200 with the job as cancelled (before submission, or as the hub answered); 202 when the hub
 * budget was spent: the cancel is recorded and the next poll sends it.
 */
export const cancelJobHandler = httpHandler(async (invocation) => {
  const jobId = jobIdParam(invocation.request);
  return idempotentPost(invocation, 'cancelJob', null, async () => {
    const { job, outcome } = await requestCancel(jobId, invocation.deps);
    return jobResponse(outcome === 'recorded' ? 202 : 200, job);
  });
});

export const cancelJobFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'cancelJob',
  options: {
    methods: ['POST'],
    authLevel: 'function',
    route: 'jobs/{jobId}/cancel',
    handler: cancelJobHandler,
  },
  api: {
    summary: 'Cancel a job at the hub, or before it is submitted.',
    pathParameters: { jobId: jobIdSchema },
    idempotencyKey: true,
    responses: {
      '200': jsonAnswer('The job, cancelled or with its cancellation recorded.', jobResourceSchema),
      '202': jsonAnswer(
        "The job with `cancelRequested`: hubjobs' share of the hub's quota is spent for now, so the next poll sends the cancel.",
        jobResourceSchema,
      ),
      '400': problemAnswer('Bad job id or Idempotency-Key.'),
      '404': problemAnswer('No such job.'),
      '409': problemAnswer(
        'The job has already ended, or the same Idempotency-Key is in progress.',
      ),
      '422': problemAnswer('This Idempotency-Key was used for a different request.'),
      ...hubProblems,
    },
  },
};
