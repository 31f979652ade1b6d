import { createJob } from '../jobs/createJob';
import { parseJobCreateRequest } from '../jobs/schemas';
import { readJsonBody } from '../http/readJsonBody';
import type { FunctionDeclaration } from './functionDeclaration';
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

export const createJobFunction: FunctionDeclaration = {
  kind: 'http',
  name: 'createJob',
  options: { methods: ['POST'], authLevel: 'function', route: 'jobs', handler: createJobHandler },
};
