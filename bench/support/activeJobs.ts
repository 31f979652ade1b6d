import { createJob } from '../../src/jobs/createJob';
import type { JobSpec, StoredJob } from '../../src/jobs/job';
import type { JobUseCaseDeps } from '../../src/jobs/jobUseCaseDeps';

/**
 * Creates `count` jobs through the real create path (store, admission, hub). They start in
 * `startInSeconds`, inside the submit lead, so the hub takes them now and holds them `scheduled`:
 * active at the hub for the whole benchmark, with no device work running meanwhile.
 */
export async function createScheduledJobs(
  deps: JobUseCaseDeps,
  count: number,
  startInSeconds = 3600,
): Promise<StoredJob[]> {
  if (deps.admission.submitLeadSeconds <= startInSeconds) {
    throw new Error(
      'SUBMIT_LEAD_SECONDS must exceed the start delay so the jobs are submitted now',
    );
  }
  const startTime = new Date(Date.now() + startInSeconds * 1000).toISOString();
  const jobs: StoredJob[] = [];
  for (let index = 0; index < count; index++) {
    const spec: JobSpec = {
      type: 'scheduleDeviceMethod',
      queryCondition: '*',
      cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 30 },
      maxExecutionTimeInSeconds: 7200,
      startTime,
    };
    const result = await createJob({ spec, mode: 'post' }, deps);
    if (result.admission !== 'submitted') {
      throw new Error(`Active job ${index} was not submitted to the hub (${result.admission})`);
    }
    jobs.push(result.job);
  }
  return jobs;
}
