import { createJob } from '../jobs/createJob';
import { parseJobCreateRequest } from '../jobs/schemas';
import { readJsonBody } from '../http/readJsonBody';
import type { FunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { createdJobResponse, toHttpResponse } from './jobResponses';
import { jobIdParam } from './requestParams';

/** PUT /jobs/{jobId}: 200 when the same job is stored, 409 when a different one is, else as POST. */
export const putJobHandler = httpHandler(async ({ request, services, deps }) => {
  const jobId = jobIdParam(request);
  const spec = parseJobCreateRequest(
    await readJsonBody(request, services.settings.maxRequestBytes),
  );
  return toHttpResponse(createdJobResponse(await createJob({ jobId, spec, mode: 'put' }, deps)));
});

export const putJobFunction: FunctionDeclaration = {
  kind: 'http',
  name: 'putJob',
  options: {
    methods: ['PUT'],
    authLevel: 'function',
    route: 'jobs/{jobId}',
    handler: putJobHandler,
  },
};
