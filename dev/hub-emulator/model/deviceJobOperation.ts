import { HubError, hubErrors } from '../hubError';
import type { DeviceRegistry } from './deviceRegistry';
import type { DeviceJobError, DeviceJobRecord, JobState } from './jobState';
import type { OperationLog } from './operationLog';
import type { MethodResult } from './types';

export interface Verdict {
  status: 'completed' | 'failed';
  response?: MethodResult;
  error?: DeviceJobError;
}

export function errorVerdict(error: unknown): Verdict {
  if (error instanceof HubError) {
    return { status: 'failed', error: { code: error.codeName, description: error.message } };
  }
  return { status: 'failed', error: { code: 'ServerError', description: 'Internal error.' } };
}

export function methodVerdict(response: MethodResult): Verdict {
  if (response.status >= 200 && response.status < 300) return { status: 'completed', response };
  const description = `The device answered the method with status ${response.status}.`;
  return { status: 'failed', response, error: { code: 'DeviceMethodFailed', description } };
}

export interface DeviceOperationDeps {
  registry: DeviceRegistry;
  log: OperationLog;
}

/** Runs one device's part of a job (a method call or a twin patch) and reports the verdict. */
export function runDeviceOperation(
  deps: DeviceOperationDeps,
  job: JobState,
  record: DeviceJobRecord,
  done: (verdict: Verdict) => void,
): void {
  const { method } = job.spec;
  if (!method) {
    done(updateTwin(deps, job, record));
    return;
  }
  deps.registry.directMethods
    .invoke(record.deviceId, method, { jobId: job.spec.jobId, attempt: 1 })
    .then(methodVerdict, errorVerdict)
    .then(done)
    .catch((error: unknown) => console.error('hub emulator: device job failed:', error));
}

function updateTwin(deps: DeviceOperationDeps, job: JobState, record: DeviceJobRecord): Verdict {
  const { registry, log } = deps;
  const twin = job.spec.twin;
  const entry = { deviceId: record.deviceId, jobId: job.spec.jobId, attempt: 1 };
  try {
    const device = registry.store.get(record.deviceId);
    if (!device || !twin) throw hubErrors.deviceNotFound(record.deviceId);
    if (device.$.behaviour?.fail) throw hubErrors.twinUpdateFailed(record.deviceId);
    registry.twins.write(device, twin.patch, twin.etag, 'merge');
    log.append({ ...entry, operation: 'twinUpdate', outcome: 'succeeded' });
    return { status: 'completed' };
  } catch (error) {
    log.append({ ...entry, operation: 'twinUpdate', outcome: 'failed' });
    return errorVerdict(error);
  }
}
