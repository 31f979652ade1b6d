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
import { jobCreateRequestSchema, jobIdSchema, jobResourceSchema } from '../jobs/schemas';
import type { ApiFunctionDeclaration } from './functionDeclaration';
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

export const putJobFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'putJob',
  options: {
    methods: ['PUT'],
    authLevel: 'function',
    route: 'jobs/{jobId}',
    handler: putJobHandler,
  },
  api: {
    summary: 'Create a job under a chosen id, idempotently.',
    pathParameters: { jobId: jobIdSchema },
    requestBody: jobCreateRequestSchema,
    responses: {
      '200': jsonAnswer(
        'The job already exists with the same body.',
        jobResourceSchema,
        locationHeader,
      ),
      '201': jsonAnswer('Created and submitted to the hub.', jobResourceSchema, locationHeader),
      '202': jsonAnswer(
        'Accepted: stored, waiting for a hub slot or its start time.',
        jobResourceSchema,
        locationHeader,
      ),
      '400': problemAnswer('Bad job id or body; each bad field is named.'),
      '409': problemAnswer('A job with this id exists with a different body.'),
      ...bodyProblems,
      '422': problemAnswer('IoT Hub refused the job (stored as rejected, with Location).'),
      ...anyOtherProblem,
    },
  },
};
