import { HubError, hubErrors } from '../hubError';
import type { DeviceRegistry } from './deviceRegistry';
import { parseNewDevice } from './newDevice';
import { isJsonObject, parseTwinPatch } from './twinPatch';
import type { JsonObject } from './types';

const MAX_ENTRIES = 100;
const MODES = ['create', 'update', 'updateifmatchetag', 'delete', 'deleteifmatchetag'] as const;
type ImportMode = (typeof MODES)[number];

export interface DeviceRegistryOperationError {
  deviceId: string;
  errorCode: string;
  errorStatus: string;
  operation: string;
}

export interface BulkRegistryOperationResult {
  isSuccessful: boolean;
  errors: DeviceRegistryOperationError[];
  warnings: never[];
}

interface BulkEntry {
  deviceId: string;
  mode: ImportMode;
  body: JsonObject;
}

/**
 * `POST /devices`: up to 100 creates, updates and deletes, each on its own; the answer is 200
 * when all succeeded and 400 with the same result shape naming each failed device otherwise.
 */
export function runBulkOperation(
  registry: DeviceRegistry,
  body: unknown,
): { status: 200 | 400; result: BulkRegistryOperationResult } {
  const entries = parseEntries(body);
  const errors: DeviceRegistryOperationError[] = [];
  for (const entry of entries) {
    try {
      applyEntry(registry, entry);
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      errors.push({
        deviceId: entry.deviceId,
        errorCode: error.codeName,
        errorStatus: error.message,
        operation: entry.mode,
      });
    }
  }
  const result = { isSuccessful: errors.length === 0, errors, warnings: [] };
  return { status: errors.length === 0 ? 200 : 400, result };
}

function applyEntry(registry: DeviceRegistry, entry: BulkEntry): void {
  const { deviceId, mode, body } = entry;
  const ifMatch = etagFor(entry);
  if (mode === 'delete' || mode === 'deleteifmatchetag') {
    registry.deleteDevice(deviceId, ifMatch);
    return;
  }
  const identity = { ...body, deviceId };
  if (mode === 'create') {
    const twin = parseTwinPatch({ tags: body.tags, properties: body.properties });
    registry.addDevice(deviceId, parseNewDevice(deviceId, identity), twin);
    return;
  }
  registry.updateDevice(deviceId, identity, ifMatch);
}

/** The `…IfMatchETag` modes need the entry's `eTag`; the others act whatever the etag. */
function etagFor({ mode, body }: BulkEntry): string {
  if (!mode.endsWith('ifmatchetag')) return '*';
  const etag = body.eTag ?? body.etag;
  if (typeof etag !== 'string' || etag === '') {
    throw hubErrors.argumentInvalid(`importMode ${mode} needs the device's eTag.`);
  }
  return etag;
}

function parseEntries(body: unknown): BulkEntry[] {
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_ENTRIES) {
    throw hubErrors.argumentInvalid(
      `The body must be a list of 1 to ${MAX_ENTRIES} device registry operations.`,
    );
  }
  const seen = new Set<string>();
  return body.map((item: unknown, index) => {
    if (!isJsonObject(item)) throw hubErrors.argumentInvalid(`Entry ${index} is not an object.`);
    const deviceId = item.id ?? item.deviceId;
    if (typeof deviceId !== 'string' || deviceId === '') {
      throw hubErrors.argumentInvalid(`Entry ${index} has no id.`);
    }
    if (seen.has(deviceId)) {
      throw hubErrors.deviceDefinedMultipleTimes(deviceId);
    }
    seen.add(deviceId);
    const mode = typeof item.importMode === 'string' ? item.importMode.toLowerCase() : '';
    if (!(MODES as readonly string[]).includes(mode)) {
      throw hubErrors.argumentInvalid(
        `Entry ${index}: importMode must be create, update, updateIfMatchETag, delete or deleteIfMatchETag.`,
      );
    }
    const { id: _id, importMode: _mode, ...rest } = item;
    return { deviceId, mode: mode as ImportMode, body: rest };
  });
}
