import { validateConfiguration } from '../composition';
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

/**
 * Runs once before any function serves, in both hosts: a missing or malformed setting stops
 * start-up with an error naming it, instead of surfacing later as failing requests.
 */
export function checkStartup(): void {
  validateConfiguration();
}
