interface TwinParts {
  tags?: Record<string, unknown>;
  desired?: Record<string, unknown>;
  reported?: Record<string, unknown>;
  status?: string;
  connectionState?: string;
}

function twin(deviceId: string, parts: TwinParts): object {
  return {
    deviceId,
    etag: 'AAAAAAAAAAE=',
    version: 3,
    status: parts.status ?? 'enabled',
    connectionState: parts.connectionState ?? 'Connected',
    ...(parts.tags && { tags: parts.tags }),
    properties: {
      desired: { ...parts.desired, $version: 2 },
      ...(parts.reported && { reported: { ...parts.reported, $version: 5 } }),
    },
  };
}

/** Twelve twins with deliberate gaps: numbers vs strings, nulls, missing tags and sections. */
export const fleet: readonly object[] = [
  twin('d01', {
    tags: { building: '43', floor: 1, ring: 'canary' },
    desired: { floor: 1, fw: '1.0' },
    reported: { fw: '1.0', temp: 20.5 },
  }),
  twin('d02', {
    tags: { building: '43', floor: 2, ring: 'early' },
    desired: { floor: 2, fw: '1.1' },
    reported: { fw: '1.0', temp: 22 },
    connectionState: 'Disconnected',
  }),
  twin('d03', {
    tags: { building: '43', floor: 3, ring: 'broad' },
    desired: { floor: 3 },
    reported: { fw: '1.1' },
  }),
  twin('d04', {
    tags: { building: '44', floor: 1, ring: 'broad' },
    desired: { floor: 1, fw: '1.1' },
    reported: { fw: '1.1', temp: 19 },
    status: 'disabled',
    connectionState: 'Disconnected',
  }),
  twin('d05', {
    tags: { building: '44', floor: '2', ring: 'early' },
    desired: { floor: '2' },
    reported: {},
  }),
  twin('d06', { tags: { building: 44, ring: null }, desired: {}, reported: { temp: -3.5 } }),
  twin('d07', {
    desired: { fw: '1.0' },
    reported: { fw: '0.9' },
    connectionState: 'Disconnected',
  }),
  twin('d08', {
    tags: { building: '45', floor: 5, ring: 'canary', location: { room: 'A1' } },
    desired: { floor: 5, config: { mode: 'eco' } },
    reported: { fw: '1.1', config: { mode: 'eco' } },
  }),
  twin('d09', {
    tags: { building: '45', floor: -1, ring: 'broad', maintenance: true },
    desired: { floor: -1 },
    reported: { fw: '1.0', online: false },
  }),
  twin('d10', {
    tags: { building: '43', floor: 2.5, ring: 'early', maintenance: false },
    desired: { floor: 2.5 },
    reported: { fw: null },
  }),
  twin('Dev-11', {
    tags: { building: '43', floor: 4, ring: 'broad' },
    desired: { floor: 4 },
    reported: { fw: '1.2' },
  }),
  twin('d12', { tags: { building: '46' }, desired: {} }),
];

/** Device-level job records as `FROM devices.jobs` sees them. */
export const deviceJobs: readonly object[] = [
  {
    deviceId: 'd01',
    jobId: 'job-1',
    jobType: 'scheduleDeviceMethod',
    status: 'completed',
    createdDateTimeUtc: '2026-03-01T10:00:00Z',
    outcome: { deviceMethodResponse: { status: 200, payload: { ok: true } } },
  },
  {
    deviceId: 'd02',
    jobId: 'job-1',
    jobType: 'scheduleDeviceMethod',
    status: 'failed',
    createdDateTimeUtc: '2026-03-01T10:00:00Z',
    error: { code: 'DeviceNotOnline', description: 'Device is not online.' },
  },
  {
    deviceId: 'd03',
    jobId: 'job-2',
    jobType: 'scheduleUpdateTwin',
    status: 'failed',
    createdDateTimeUtc: '2026-04-01T08:30:00Z',
  },
  {
    deviceId: 'd01',
    jobId: 'job-2',
    jobType: 'scheduleUpdateTwin',
    status: 'completed',
    createdDateTimeUtc: '2026-04-01T08:30:00Z',
  },
];

export function idOf(row: object): string {
  return (row as { deviceId: string }).deviceId;
}

export const allDeviceIds = fleet.map(idOf);
