import { hubErrors } from '../../../../dev/hub-emulator/hubError';
import type { HubModelPort, PageRequest } from '../../../../dev/hub-emulator/http/modelPort';

/** A stand-in for HubModel: enough behaviour to test the HTTP surface on its own. */
export function createFakeModel(jobCount = 3): HubModelPort & { online: Map<string, boolean> } {
  const jobs = Array.from({ length: jobCount }, (_, index) => ({ jobId: `job-${index + 1}` }));
  const online = new Map<string, boolean>();
  const twin = (deviceId: string) => {
    if (deviceId !== 'dev1') throw hubErrors.deviceNotFound(deviceId);
    return { deviceId, etag: 'AAAA', properties: { desired: {}, reported: {} } };
  };
  return {
    online,
    registry: {
      createDevice: (deviceId) => ({ deviceId }),
      updateDevice: (deviceId, _body, ifMatch) => ({ ...twin(deviceId), ifMatch }),
      bulk: (body) => ({ status: 200, result: { isSuccessful: true, errors: [], body } }),
      getDevice: (deviceId) => twin(deviceId),
      deleteDevice: (deviceId) => void twin(deviceId),
      listDevices: (top) => [{ deviceId: 'dev1', top }],
      getTwin: twin,
      patchTwin: (deviceId, patch, ifMatch) => ({ ...twin(deviceId), patch, ifMatch }),
      replaceTwin: (deviceId, replacement) => ({ ...twin(deviceId), replacement }),
      setOnline: (deviceId, isOnline) => void online.set(deviceId, isOnline),
      invokeMethod: (deviceId, request) => {
        if (deviceId === 'boom') return Promise.reject(new Error('internal detail /srv/x.ts'));
        return Promise.resolve({ status: 200, payload: { deviceId, echo: request.payload } });
      },
    },
    jobs: {
      create: (jobId) => ({ jobId, type: 'scheduleDeviceMethod', status: 'queued' }),
      get: (jobId) => {
        const job = jobs.find((candidate) => candidate.jobId === jobId);
        if (!job) throw hubErrors.jobNotFound(jobId);
        return job;
      },
      cancel: (jobId) => ({ jobId, status: 'cancelled' }),
      query: (_filter, page: PageRequest) => {
        const start = Number(page.continuationToken ?? 0);
        const end = start + (page.pageSize ?? 100);
        return {
          items: jobs.slice(start, end),
          ...(end < jobs.length ? { continuationToken: String(end) } : {}),
        };
      },
    },
    modules: {
      create: (deviceId, moduleId) => ({ deviceId, moduleId }),
      update: (deviceId, moduleId, _body, ifMatch) => ({ deviceId, moduleId, ifMatch }),
      get: (deviceId, moduleId) => ({ ...twin(deviceId), moduleId }),
      list: (deviceId) => [{ ...twin(deviceId), moduleId: 'm1' }],
      delete: (deviceId) => void twin(deviceId),
      getTwin: (deviceId, moduleId) => ({ ...twin(deviceId), moduleId }),
      writeTwin: (deviceId, moduleId, body, ifMatch, mode) => ({
        deviceId,
        moduleId,
        body,
        ifMatch,
        mode,
      }),
    },
    configurations: {
      put: (id, body, ifMatch) => ({ id, body, ifMatch }),
      get: (id) => ({ id }),
      list: (top) => [{ id: 'c1', top }],
      delete: () => undefined,
    },
    behaviours: {
      set: () => ({ devices: 1 }),
      list: () => [],
      clear: () => ({ devices: 0 }),
      setOnline: () => ({ devices: 1 }),
    },
    operations: { list: (filter) => [{ seq: 1, filter }], clear: () => undefined },
    query: (sql) => ({ items: [{ sql }], itemType: 'Twin' }),
    close: () => undefined,
  };
}
