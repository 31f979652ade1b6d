/** An error the emulated hub answers with: HTTP status, the 6-digit code and its name (`iothub-errorcode`). */
export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly codeName: string,
    message: string,
    /** Extra response headers, e.g. `Retry-After` on throttling. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HubError';
  }
}

/** The hub's error catalogue, as far as the emulator uses it (docs/iothub.md, Errors). */
export const hubErrors = {
  genericBadRequest: (message: string) => new HubError(400, 400000, 'GenericBadRequest', message),
  argumentInvalid: (message: string) => new HubError(400, 400004, 'ArgumentInvalid', message),
  invalidProtocolVersion: () =>
    new HubError(400, 400000, 'InvalidProtocolVersion', 'Missing or unsupported api-version.'),
  unauthorized: (message = 'Unauthorized') =>
    new HubError(401, 401002, 'IotHubUnauthorizedAccess', message),
  deviceNotFound: (deviceId: string) =>
    new HubError(404, 404001, 'DeviceNotFound', `Device ${deviceId} not found.`),
  jobNotFound: (jobId: string) =>
    new HubError(404, 404002, 'JobNotFound', `Job ${jobId} not found.`),
  deviceNotOnline: (deviceId: string) =>
    new HubError(
      404,
      404103,
      'DeviceNotOnline',
      `The operation failed because the requested device ${deviceId} isn't online or hasn't registered the direct method callback.`,
    ),
  moduleNotFound: (deviceId: string, moduleId: string) =>
    new HubError(
      404,
      404010,
      'ModuleNotFound',
      `Module ${moduleId} on device ${deviceId} not found.`,
    ),
  /** The code is not in Microsoft's catalogue; the name is the one the hub's message uses. */
  configurationNotFound: (id: string) =>
    new HubError(404, 404000, 'ConfigurationNotFound', `Configuration ${id} not found.`),
  moduleAlreadyExists: (deviceId: string, moduleId: string) =>
    new HubError(
      409,
      409301,
      'ModuleAlreadyExistsOnDevice',
      `Module ${moduleId} already exists on device ${deviceId}.`,
    ),
  configurationAlreadyExists: (id: string) =>
    new HubError(409, 409000, 'ConfigurationAlreadyExists', `Configuration ${id} already exists.`),
  deviceDefinedMultipleTimes: (deviceId: string) =>
    new HubError(
      400,
      400011,
      'DeviceDefinedMultipleTimes',
      `Device ${deviceId} appears more than once in the list.`,
    ),
  deviceAlreadyExists: (deviceId: string) =>
    new HubError(409, 409001, 'DeviceAlreadyExists', `Device ${deviceId} already exists.`),
  jobAlreadyExists: (jobId: string) =>
    new HubError(409, 409104, 'JobAlreadyExists', `Job ${jobId} already exists.`),
  preconditionFailed: (message = 'Precondition failed: the etag does not match.') =>
    new HubError(412, 412001, 'PreconditionFailed', message),
  messageTooLarge: (message: string) => new HubError(413, 413001, 'MessageTooLarge', message),
  throttled: (retryAfterSeconds: number) =>
    new HubError(429, 429001, 'ThrottlingException', 'Request throttled.', {
      'retry-after': String(retryAfterSeconds),
    }),
  maxActiveJobs: (limit: number) =>
    new HubError(
      429,
      429004,
      'ThrottlingMaxActiveJobCountExceeded',
      `The hub already has ${limit} active job(s), the most its tier allows.`,
    ),
  gatewayTimeout: (deviceId: string) =>
    new HubError(
      504,
      504101,
      'GatewayTimeout',
      `Timed out waiting for device ${deviceId} to respond.`,
    ),
  /** A job's twin update that did not take, for a device set to fail (README, sticky behaviours). */
  twinUpdateFailed: (deviceId: string) =>
    new HubError(
      500,
      500001,
      'ServerError',
      `The hub could not update the twin of device ${deviceId}.`,
    ),
  serverError: (message = 'Internal server error.') =>
    new HubError(500, 500001, 'ServerError', message),
  serviceUnavailable: (message = 'Service unavailable.') =>
    new HubError(503, 503001, 'ServiceUnavailable', message),
} as const;
