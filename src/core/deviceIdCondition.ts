import { ValidationError, type FieldError } from './errors';

/** IoT Hub's limit on a whole query, `SELECT * FROM devices WHERE ` included (docs/hub-limits.md). */
export const maxHubQueryLength = 8192;
export const hubQueryPrefix = 'SELECT * FROM devices WHERE ';
/** The longest query condition the hub takes once the wrapper is counted. */
export const maxQueryConditionLength = maxHubQueryLength - hubQueryPrefix.length;

export const maxDeviceIdLength = 128;
/**
 * The legal IoT Hub device-id characters minus the quote: inside a quoted literal none of them can
 * end the literal or the list, so no device id can widen the target set.
 */
export const deviceIdPattern = /^[A-Za-z0-9\-.%_*?!(),:=@$+#]{1,128}$/;
const allowedDeviceIdCharacters = 'letters, digits and - . % _ * ? ! ( ) , : = @ $ + #';

/** Why `deviceId` cannot go into a `deviceId IN [...]` condition, or undefined when it can. */
export function deviceIdProblem(deviceId: unknown): string | undefined {
  if (typeof deviceId !== 'string') return 'must be a string';
  if (deviceIdPattern.test(deviceId)) return undefined;
  if (deviceId === '') return 'must not be empty';
  if (deviceId.includes("'")) {
    return `contains a quote ('), which IoT Hub gives no way to escape in a query; use queryCondition instead`;
  }
  const badCharacter = [...deviceId].find((c) => !deviceIdPattern.test(c));
  if (badCharacter !== undefined) {
    return `contains ${JSON.stringify(badCharacter)}, which is not allowed in an IoT Hub device id (allowed: ${allowedDeviceIdCharacters})`;
  }
  return `is longer than ${maxDeviceIdLength} characters`;
}

/** Length of the whole hub query for this condition, wrapper included. */
export function hubQueryLength(condition: string): number {
  return hubQueryPrefix.length + condition.length;
}

/** Why a user's `queryCondition` cannot be sent, or undefined when it can. */
export function queryConditionProblem(condition: string): string | undefined {
  if (condition.trim() === '') return 'must not be empty';
  if (hubQueryLength(condition) <= maxHubQueryLength) return undefined;
  return `is ${condition.length} characters; with "${hubQueryPrefix}" the query would be ${hubQueryLength(condition)}, over IoT Hub's limit of ${maxHubQueryLength}`;
}

const listOpening = 'deviceId IN [';
const listClosing = ']';

/**
 * `deviceId IN ['a','b']` for the given ids. Throws `ValidationError` naming each id that is not
 * a legal device id (`deviceIds.N`), or naming `deviceIds` when the query would be too long.
 */
export function buildDeviceIdCondition(deviceIds: readonly string[]): string {
  if (deviceIds.length === 0) {
    throw new ValidationError([
      { field: 'deviceIds', message: 'must hold at least one device id' },
    ]);
  }
  const errors: FieldError[] = [];
  deviceIds.forEach((deviceId, index) => {
    const problem = deviceIdProblem(deviceId);
    if (problem !== undefined) errors.push({ field: `deviceIds.${index}`, message: problem });
  });
  if (errors.length > 0) throw new ValidationError(errors);
  const condition = `${listOpening}${deviceIds.map((id) => `'${id}'`).join(',')}${listClosing}`;
  if (hubQueryLength(condition) > maxHubQueryLength) {
    throw new ValidationError([
      { field: 'deviceIds', message: overBudgetMessage(deviceIds, condition) },
    ]);
  }
  return condition;
}

function overBudgetMessage(deviceIds: readonly string[], condition: string): string {
  const fitting = countDeviceIdsThatFit(deviceIds);
  return `${deviceIds.length} device ids make a ${hubQueryLength(condition)}-character query, over IoT Hub's limit of ${maxHubQueryLength} (wrapper included); the first ${fitting} fit: split them into several jobs`;
}

/** How many of the ids, taken in order, fit into one condition under the hub's query limit. */
export function countDeviceIdsThatFit(deviceIds: readonly string[]): number {
  let length = hubQueryPrefix.length + listOpening.length + listClosing.length;
  let count = 0;
  for (const deviceId of deviceIds) {
    const separator = count === 0 ? 0 : 1;
    length += deviceId.length + 2 + separator;
    if (length > maxHubQueryLength) break;
    count += 1;
  }
  return count;
}
