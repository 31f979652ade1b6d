/**
 * IoT Hub's device topics over MQTT (dev/hub-emulator/README.md, Device side). None of the `$iothub` topics
 * names the device: the connection does, so every message stays on its own device's connection.
 */
export const methodRequestsFilter = '$iothub/methods/POST/#';
export const twinResponsesFilter = '$iothub/twin/res/#';
export const desiredChangesFilter = '$iothub/twin/PATCH/properties/desired/#';

/** The subscriptions a device may hold; any other filter is refused. */
export function allowedFilters(deviceId: string): readonly string[] {
  return [
    methodRequestsFilter,
    twinResponsesFilter,
    desiredChangesFilter,
    `devices/${deviceId}/messages/devicebound/#`,
  ];
}

export type DeviceMessage =
  | { kind: 'methodResponse'; status: number; rid: string }
  | { kind: 'twinGet'; rid: string }
  | { kind: 'reportedPatch'; rid: string }
  | { kind: 'telemetry' };

const METHOD_RESPONSE = /^\$iothub\/methods\/res\/(\d{3})\/\?(.*)$/;
const TWIN_GET = /^\$iothub\/twin\/GET\/\?(.*)$/;
const REPORTED_PATCH = /^\$iothub\/twin\/PATCH\/properties\/reported\/\?(.*)$/;

/** What a device's publish asks for; undefined for a topic a device may not publish on. */
export function parseDeviceTopic(deviceId: string, topic: string): DeviceMessage | undefined {
  if (topic.startsWith(`devices/${deviceId}/messages/events/`)) return { kind: 'telemetry' };
  const response = METHOD_RESPONSE.exec(topic);
  if (response) {
    const rid = requestId(response[2]);
    return rid === undefined
      ? undefined
      : { kind: 'methodResponse', status: Number(response[1]), rid };
  }
  const get = TWIN_GET.exec(topic);
  if (get) return withRid('twinGet', get[1]);
  const reported = REPORTED_PATCH.exec(topic);
  if (reported) return withRid('reportedPatch', reported[1]);
  return undefined;
}

function withRid(kind: 'twinGet' | 'reportedPatch', query: string | undefined) {
  const rid = requestId(query);
  return rid === undefined ? undefined : { kind, rid };
}

function requestId(query: string | undefined): string | undefined {
  const rid = new URLSearchParams(query ?? '').get('$rid');
  return rid === null || rid === '' ? undefined : rid;
}

export const methodRequestTopic = (methodName: string, rid: string): string =>
  `$iothub/methods/POST/${methodName}/?$rid=${encodeURIComponent(rid)}`;

export const twinResponseTopic = (status: number, rid: string, version?: number): string =>
  `$iothub/twin/res/${status}/?$rid=${encodeURIComponent(rid)}` +
  (version === undefined ? '' : `&$version=${version}`);

export const desiredChangeTopic = (version: number): string =>
  `$iothub/twin/PATCH/properties/desired/?$version=${version}`;
