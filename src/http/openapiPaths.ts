import { deviceResultsQuerySchema, jobListQuerySchema } from '../jobs/schemas';
import { parameterSchema, ref, type ComponentName, type JsonSchema } from './openapiComponents';
import { problemContentType } from './problem';

type Operation = JsonSchema;

const anonymous = { security: [] };

/** Every route of the jobs API (SPEC §3), with the responses each can give. */
export function buildPaths(): Record<string, Record<string, Operation>> {
  return {
    '/jobs': { post: createJob(), get: listJobs() },
    '/jobs/{jobId}': { put: putJob(), get: getJob() },
    '/jobs/{jobId}/cancel': { post: cancelJob() },
    '/jobs/{jobId}/devices': { get: listDeviceResults() },
    '/health': { get: health() },
    '/openapi.json': { get: openApi() },
  };
}

const jobIdParameter = { $ref: '#/components/parameters/jobId' };
const idempotencyKeyParameter = { $ref: '#/components/parameters/idempotencyKey' };

function json(name: ComponentName, description: string, headers?: JsonSchema): JsonSchema {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/json': { schema: ref(name) } },
  };
}

function problem(description: string): JsonSchema {
  return { description, content: { [problemContentType]: { schema: ref('Problem') } } };
}

const location = { Location: { description: 'URL of the job.', schema: { type: 'string' } } };
const createBody = {
  required: true,
  content: { 'application/json': { schema: ref('JobCreateRequest') } },
};
const commonProblems = {
  '429': problem('IoT Hub is throttling; retry after Retry-After.'),
  '503': problem('IoT Hub or storage is unavailable; retry later.'),
  default: problem('Any other error.'),
};

function createJob(): Operation {
  return {
    operationId: 'createJob',
    summary: 'Create a job (server-chosen id).',
    parameters: [idempotencyKeyParameter],
    requestBody: createBody,
    responses: {
      '201': json('JobResource', 'Created and submitted to the hub.', location),
      '202': json(
        'JobResource',
        'Accepted: stored, waiting for a hub slot or its start time.',
        location,
      ),
      '400': problem('The body breaks a rule; each bad field is named.'),
      '409': problem('A request with this Idempotency-Key is still in progress.'),
      '413': problem('The body is too large.'),
      '415': problem('The body is not application/json.'),
      '422': problem('This Idempotency-Key was used for a different body.'),
      ...commonProblems,
    },
  };
}

function putJob(): Operation {
  return {
    operationId: 'putJob',
    summary: 'Create a job under a chosen id, idempotently.',
    parameters: [jobIdParameter],
    requestBody: createBody,
    responses: {
      '200': json('JobResource', 'The job already exists with the same body.'),
      '201': json('JobResource', 'Created and submitted to the hub.', location),
      '202': json(
        'JobResource',
        'Accepted: stored, waiting for a hub slot or its start time.',
        location,
      ),
      '400': problem('Bad job id or body; each bad field is named.'),
      '409': problem('A job with this id exists with a different body.'),
      '413': problem('The body is too large.'),
      '415': problem('The body is not application/json.'),
      ...commonProblems,
    },
  };
}

function getJob(): Operation {
  return {
    operationId: 'getJob',
    summary: 'The stored job: status, statistics, timestamps, hub status message.',
    parameters: [jobIdParameter],
    responses: {
      '200': json('JobResource', 'The job.'),
      '400': problem('Bad job id.'),
      '404': problem('No such job.'),
      default: commonProblems.default,
    },
  };
}

function queryParameters(schema: {
  shape: Record<string, Parameters<typeof parameterSchema>[0]>;
}): JsonSchema[] {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: parameterSchema(field),
  }));
}

function listJobs(): Operation {
  return {
    operationId: 'listJobs',
    summary: 'Jobs, newest first, paged.',
    description:
      "List items show `lastPolledAt` and `updatedAt` as of the job's last change of anything " +
      'else; GET /jobs/{jobId} shows the latest.',
    parameters: queryParameters(jobListQuerySchema),
    responses: {
      '200': json('JobList', 'One page of jobs.'),
      '400': problem('A bad query parameter; each is named.'),
      default: commonProblems.default,
    },
  };
}

function cancelJob(): Operation {
  return {
    operationId: 'cancelJob',
    summary: 'Cancel a job at the hub, or before it is submitted.',
    parameters: [jobIdParameter, idempotencyKeyParameter],
    responses: {
      '200': json('JobResource', 'The job, cancelled or with its cancellation recorded.'),
      '400': problem('Bad job id.'),
      '404': problem('No such job.'),
      '409': problem('The job has already ended, or the same Idempotency-Key is in progress.'),
      '422': problem('This Idempotency-Key was used for a different request.'),
      ...commonProblems,
    },
  };
}

function listDeviceResults(): Operation {
  return {
    operationId: 'listDeviceResults',
    summary: "Each device's outcome in the job, paged; format=csv streams CSV.",
    parameters: [jobIdParameter, ...queryParameters(deviceResultsQuerySchema)],
    responses: {
      '200': {
        description: 'One page of device results (JSON), or all of them as CSV.',
        content: {
          'application/json': { schema: ref('DeviceResultList') },
          'text/csv': { schema: { type: 'string' } },
        },
      },
      '400': problem('Bad job id or query parameter.'),
      '404': problem('No such job.'),
      default: commonProblems.default,
    },
  };
}

const healthCheck = {
  type: 'object',
  properties: { status: { enum: ['ok', 'down'] }, detail: { type: 'string' } },
  required: ['status'],
};
const healthReport = {
  type: 'object',
  properties: {
    status: { const: 'ok' },
    checks: {
      type: 'object',
      properties: { settings: healthCheck, storage: healthCheck, hub: healthCheck },
    },
  },
  required: ['status', 'checks'],
};

function health(): Operation {
  return {
    operationId: 'health',
    summary: 'Configuration loaded, storage and hub reachable.',
    ...anonymous,
    responses: {
      '200': {
        description: 'Everything is up.',
        content: { 'application/json': { schema: healthReport } },
      },
      '503': problem(
        'Something is down: `down` lists settings, storage or hub; `checks` says why.',
      ),
    },
  };
}

function openApi(): Operation {
  return {
    operationId: 'openApi',
    summary: 'This document.',
    ...anonymous,
    responses: {
      '200': {
        description: 'OpenAPI 3.1.',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
    },
  };
}
