import { hubErrors } from '../hubError';
import { edgeDeviceScope } from './deviceJson';
import { deviceEtag, type DeviceState } from './deviceState';
import type { NewDeviceRequest } from './newDevice';
import { normalizeEtag } from './twinPatch';

/** Throws 412 unless `ifMatch` is absent, `*` or the device's current etag (not the twin's). */
export function checkDeviceEtag(state: DeviceState, ifMatch: string | undefined): void {
  const expected = normalizeEtag(ifMatch);
  if (expected !== undefined && expected !== '*' && expected !== deviceEtag(state)) {
    throw hubErrors.preconditionFailed();
  }
}

/**
 * Replaces a device's identity with an update body, as `PUT /devices/{id}` with `If-Match` does.
 * A SAS device updated without keys keeps the ones it has; the twin is left alone.
 */
export function applyDeviceUpdate(
  state: DeviceState,
  request: NewDeviceRequest,
  context: { seed: number; now: number },
): void {
  const internals = state.$;
  const wasEdge = internals.iotEdge === true;
  if (state.status !== request.status) {
    state.status = request.status;
    internals.statusUpdatedAt = context.now;
  }
  setOptional(internals, 'statusReason', request.statusReason);
  const keepKeys = request.authenticationType === 'sas' && internals.authenticationType === 'sas';
  internals.authenticationType = request.authenticationType;
  setOptional(
    internals,
    'explicitKeys',
    request.explicitKeys ?? (keepKeys ? internals.explicitKeys : undefined),
  );
  setOptional(internals, 'thumbprints', request.thumbprints);
  setOptional(internals, 'iotEdge', request.iotEdge ? true : undefined);
  const ownScope = request.iotEdge
    ? (wasEdge && internals.deviceScope) ||
      edgeDeviceScope(context.seed, state.deviceId, internals.order)
    : request.deviceScope;
  setOptional(internals, 'deviceScope', ownScope || undefined);
  setOptional(
    internals,
    'parentScopes',
    request.parentScopes.length > 0 ? [...request.parentScopes] : undefined,
  );
  internals.deviceEtagVersion += 1;
}

function setOptional<K extends keyof DeviceState['$']>(
  target: DeviceState['$'],
  key: K,
  value: DeviceState['$'][K] | undefined,
): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
