import { createJob } from '../jobs/createJob';
import { parseJobCreateRequest } from '../jobs/schemas';
import { readJsonBody } from '../http/readJsonBody';
import {
  anyOtherProblem,
  bodyProblems,
  jsonAnswer,
  locationHeader,
  problemAnswer,
} from '../http/httpApi';
import { jobCreateRequestSchema, jobResourceSchema } from '../jobs/schemas';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { idempotentPost } from './idempotentPost';
import { createdJobResponse } from './jobResponses';

/** POST /jobs: 201 (at the hub) or 202 (waiting as `accepted`), with `Location`. */
export const createJobHandler = httpHandler(async (invocation) => {
  const { request, services, deps } = invocation;
  const body = await readJsonBody(request, services.settings.maxRequestBytes);
  return idempotentPost(invocation, 'createJob', body, async () => {
    const spec = parseJobCreateRequest(body);
    return createdJobResponse(await createJob({ spec, mode: 'post' }, deps));
  });
});

export const createJobFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'createJob',
  options: { methods: ['POST'], authLevel: 'function', route: 'jobs', handler: createJobHandler },
  api: {
    summary: 'Create a job (server-chosen id).',
    idempotencyKey: true,
    requestBody: jobCreateRequestSchema,
    responses: {
      '201': jsonAnswer('Created and submitted to the hub.', jobResourceSchema, locationHeader),
      '202': jsonAnswer(
        'Accepted: stored, waiting for a hub slot or its start time.',
        jobResourceSchema,
        locationHeader,
      ),
      '400': problemAnswer('The body or Idempotency-Key breaks a rule; each bad field is named.'),
      '409': problemAnswer('A request with this Idempotency-Key is still in progress.'),
      ...bodyProblems,
      '422': problemAnswer(
        'This Idempotency-Key was used for a different body, or IoT Hub refused the job (stored as rejected, with Location).',
      ),
      ...anyOtherProblem,
    },
  },
};
