import { validateConfiguration } from '../composition';
import { cancelJobFunction } from './cancelJob';
import { createJobFunction } from './createJob';
import type { ApiFunctionDeclaration, FunctionDeclaration } from './functionDeclaration';
import { getJobFunction } from './getJob';
import { healthFunction } from './health';
import { listDeviceResultsFunction } from './listDeviceResults';
import { listJobsFunction } from './listJobs';
import { openApiFunction } from './openapi';
import { pollJobsFunction } from './pollJobs';
import { processJobRequestsFunction } from './processJobRequests';
import { putJobFunction } from './putJob';
import { cancelRolloutFunction } from './cancelRollout';
import { createRolloutFunction } from './createRollout';
import { getRolloutFunction } from './getRollout';
import { listRolloutDevicesFunction } from './listRolloutDevices';
import { listRolloutsFunction } from './listRollouts';
import { pauseRolloutFunction, resumeRolloutFunction } from './pauseRollout';
import { putRolloutFunction } from './putRollout';
import { rerunRolloutFunction } from './rerunRollout';
import { deleteScheduleFunction } from './deleteSchedule';
import { getScheduleFunction } from './getSchedule';
import { listSchedulesFunction } from './listSchedules';
import { openWindowsFunction } from './openWindows';
import { putScheduleFunction } from './putSchedule';

/** The HTTP functions, each documenting itself: the OpenAPI paths are generated from these. */
export const httpFunctionDeclarations: readonly ApiFunctionDeclaration[] = [
  createJobFunction,
  putJobFunction,
  getJobFunction,
  listJobsFunction,
  cancelJobFunction,
  listDeviceResultsFunction,
  createRolloutFunction,
  putRolloutFunction,
  getRolloutFunction,
  listRolloutsFunction,
  cancelRolloutFunction,
  pauseRolloutFunction,
  resumeRolloutFunction,
  rerunRolloutFunction,
  listRolloutDevicesFunction,
  putScheduleFunction,
  getScheduleFunction,
  listSchedulesFunction,
  deleteScheduleFunction,
  healthFunction,
  openApiFunction(() => httpFunctionDeclarations),
];

/** Every function of the app, once: `src/index.ts` and the local host both read this list. */
export const functionDeclarations: readonly FunctionDeclaration[] = [
  ...httpFunctionDeclarations,
  pollJobsFunction,
  openWindowsFunction,
  processJobRequestsFunction,
];

/**
 * Runs once before any function serves, in both hosts: a missing or malformed setting stops
 * start-up with an error naming it, instead of surfacing later as failing requests.
 */
export function checkStartup(): void {
  validateConfiguration();
}
