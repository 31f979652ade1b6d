import { hubErrors } from '../hubError';
import { parseCondition, QuerySyntaxError, type Expr } from '../query/index';
import { parseMethodRequest, type ParsedMethodRequest } from './methodRequest';
import { isJsonObject, parseTwinPatch, type TwinPatch } from './twinPatch';
import type { JsonObject } from './types';

const JOB_ID = /^[A-Za-z0-9-]{1,64}$/;
const DEFAULT_MAX_EXECUTION_SECONDS = 3600;

export type JobType = 'scheduleDeviceMethod' | 'scheduleUpdateTwin';

/** A validated job request (`PUT /jobs/v2/{jobId}`), ready for the engine. */
export interface JobSpec {
  jobId: string;
  type: JobType;
  queryCondition: string;
  where: Expr | undefined;
  /** Undefined means "now" (the SDK sends `startTime: null`). */
  startAt: number | undefined;
  maxExecutionTimeInSeconds: number;
  method?: ParsedMethodRequest;
  twin?: { patch: TwinPatch; etag: string | undefined; original: JsonObject };
}

const badRequest = hubErrors.genericBadRequest;

function parseJobId(jobIdFromPath: string, bodyJobId: unknown): string {
  if (!JOB_ID.test(jobIdFromPath)) {
    throw badRequest(
      'The job id must be 1 to 64 characters: US-ASCII letters, digits and dashes only.',
    );
  }
  // The SDK types allow a numeric jobId in the body.
  const bodyJobIdText =
    typeof bodyJobId === 'number' ? String(bodyJobId) : (bodyJobId ?? undefined);
  if (bodyJobIdText !== undefined && bodyJobIdText !== jobIdFromPath) {
    throw badRequest('The jobId in the body differs from the one in the path.');
  }
  return jobIdFromPath;
}

function parseType(value: unknown): JobType {
  if (value === 'scheduleDeviceMethod' || value === 'scheduleUpdateTwin') return value;
  throw badRequest(`Unsupported job type '${String(value)}'.`);
}

function parseWhere(condition: unknown): { queryCondition: string; where: Expr | undefined } {
  if (typeof condition !== 'string' || condition.trim() === '') {
    throw badRequest('queryCondition is required: a query condition, or * for every device.');
  }
  try {
    return { queryCondition: condition, where: parseCondition(condition) };
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw badRequest(error.message);
    throw error;
  }
}

function parseStartTime(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const startAt = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(startAt)) throw badRequest('startTime must be an ISO 8601 date and time.');
  return startAt;
}

function parseMaxExecutionTime(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_MAX_EXECUTION_SECONDS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw badRequest('maxExecutionTimeInSeconds must be a whole number of seconds, at least 1.');
  }
  return value;
}

function parseUpdateTwin(value: unknown): JobSpec['twin'] {
  if (!isJsonObject(value)) throw badRequest('updateTwin is required for scheduleUpdateTwin jobs.');
  const { etag } = value;
  if (etag !== undefined && etag !== null && typeof etag !== 'string') {
    throw badRequest('updateTwin.etag must be a string such as "*".');
  }
  return { patch: parseTwinPatch(value), etag: etag ?? undefined, original: value };
}

/** Validates a job request the way the hub does; every problem is a 400 (a large payload 413). */
export function parseJobRequest(jobIdFromPath: string, body: unknown): JobSpec {
  if (!isJsonObject(body)) throw badRequest('The job request must be a JSON object.');
  const jobId = parseJobId(jobIdFromPath, body.jobId);
  const type = parseType(body.type);
  const spec: JobSpec = {
    jobId,
    type,
    ...parseWhere(body.queryCondition),
    startAt: parseStartTime(body.startTime),
    maxExecutionTimeInSeconds: parseMaxExecutionTime(body.maxExecutionTimeInSeconds),
  };
  if (type === 'scheduleDeviceMethod') {
    if (!isJsonObject(body.cloudToDeviceMethod)) {
      throw badRequest('cloudToDeviceMethod is required for scheduleDeviceMethod jobs.');
    }
    spec.method = parseMethodRequest(body.cloudToDeviceMethod, badRequest);
  } else {
    spec.twin = parseUpdateTwin(body.updateTwin);
  }
  return spec;
}
