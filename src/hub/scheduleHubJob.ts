import type { JobClient } from 'azure-iothub';
import type { JobSpec, TwinUpdate } from '../jobs/job';
import { HubCallError } from '../core/hubCallError';

type JobStatusResponse = Awaited<ReturnType<JobClient['getJob']>>;

/** Sends one create-job request (PUT /jobs/v2/{id}) for a spec, through the SDK's promise forms. */
export function scheduleHubJob(
  jobClient: JobClient,
  jobId: string,
  spec: JobSpec,
): Promise<JobStatusResponse> {
  // The SDK sends `startTime: null` when none is given; "now" by our clock is what its own
  // callback form sends, and what hubs are known to accept.
  const startTime = spec.startTime === undefined ? new Date() : new Date(spec.startTime);
  if (spec.type === 'scheduleDeviceMethod') {
    const method = spec.cloudToDeviceMethod;
    if (!method) throw new HubCallError('badRequest', 'A method job needs cloudToDeviceMethod.');
    // The SDK rebuilds these parameters: connectTimeoutInSeconds never reaches the job body
    // (docs/iothub.md, SDK behaviour) and a falsy payload (0, '', false) is sent as null.
    const params = {
      methodName: method.methodName,
      payload: method.payload,
      ...(method.responseTimeoutInSeconds === undefined
        ? {}
        : { responseTimeoutInSeconds: method.responseTimeoutInSeconds }),
    };
    return jobClient.scheduleDeviceMethod(
      jobId,
      spec.queryCondition,
      params,
      startTime,
      spec.maxExecutionTimeInSeconds,
    );
  }
  if (!spec.updateTwin) throw new HubCallError('badRequest', 'A twin job needs updateTwin.');
  return jobClient.scheduleTwinUpdate(
    jobId,
    spec.queryCondition,
    twinPatch(spec.updateTwin),
    startTime,
    spec.maxExecutionTimeInSeconds,
  );
}

/** The hub requires an etag on a twin job's patch; `*` means "whatever the twin's etag is". */
function twinPatch(update: TwinUpdate): TwinUpdate {
  return {
    etag: update.etag ?? '*',
    ...(update.tags === undefined ? {} : { tags: update.tags }),
    ...(update.properties === undefined ? {} : { properties: update.properties }),
  };
}
