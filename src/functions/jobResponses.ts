import type { HttpResponseInit } from '@azure/functions';
import type { CreateJobResult } from '../jobs/createJob';
import type { Job } from '../jobs/job';
import type { StoredResponse } from '../core/idempotency';
import { toJobResource } from '../jobs/schemas';
import { problemResponse } from '../http/problem';

/** Routes are served under `/api` (host.json `routePrefix`). */
export function jobLocation(jobId: string): string {
  return `/api/jobs/${jobId}`;
}

export function jobResponse(status: number, job: Job, withLocation = false): StoredResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      ...(withLocation ? { location: jobLocation(job.jobId) } : {}),
    },
    body: toJobResource(job),
  };
}

/**
 * 200 for an idempotent PUT that found the same job; 201 once the hub has the job; 202 while it
 * waits as `accepted` (a hub slot, or its start time). A job the hub refused is stored as
 * `rejected` and answered 422 problem+json with its id and `Location`, so the caller sees at once
 * that nothing will run, and can still read the stored job.
 */
export function createdJobResponse(result: CreateJobResult): StoredResponse {
  const { job } = result;
  if (!result.created) return jobResponse(200, job, true);
  if (job.status === 'accepted') return jobResponse(202, job, true);
  if (job.status !== 'rejected') return jobResponse(201, job, true);
  const problem = problemResponse(422, 'IoT Hub refused the job', job.failureReason, {
    type: 'urn:hubjobs:problem:job-rejected',
    code: 'JOB_REJECTED',
    jobId: job.jobId,
    jobStatus: job.status,
  });
  return {
    status: 422,
    headers: { ...problem.headers, location: jobLocation(job.jobId) },
    body: problem.jsonBody,
  };
}

/** A stored (or fresh) response as the Functions runtime takes it. */
export function toHttpResponse(response: StoredResponse): HttpResponseInit {
  return { status: response.status, headers: response.headers, jsonBody: response.body };
}
