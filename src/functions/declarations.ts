import { cancelJobFunction } from './cancelJob';
import { createJobFunction } from './createJob';
import type { FunctionDeclaration } from './functionDeclaration';
import { getJobFunction } from './getJob';
import { healthFunction } from './health';
import { listDeviceResultsFunction } from './listDeviceResults';
import { listJobsFunction } from './listJobs';
import { openApiFunction } from './openapi';
import { pollJobsFunction } from './pollJobs';
import { processJobRequestsFunction } from './processJobRequests';
import { putJobFunction } from './putJob';

/** Every function of the app, once: `src/index.ts` and the local host both read this list. */
export const functionDeclarations: readonly FunctionDeclaration[] = [
  createJobFunction,
  putJobFunction,
  getJobFunction,
  listJobsFunction,
  cancelJobFunction,
  listDeviceResultsFunction,
  healthFunction,
  openApiFunction,
  pollJobsFunction,
  processJobRequestsFunction,
];
