/**
 * IoT Hub's rule for property names in a job (method names, twin keys): printable US-ASCII except
 * `$ ( ) < > @ , ; : \ " / [ ] ? = { }`, space and tab (docs/iothub.md, Job ids and names).
 */
export const methodNamePattern = /^[A-Za-z0-9!#%&'*+\-.^_`|~]{1,128}$/;
/** The length Microsoft's Java service SDK enforces; the hub documents none (docs/hub-limits.md). */
export const maxMethodNameLength = 128;
/** Twin keys follow the same rule, may not hold `.` either, and are at most 1 KB. */
export const twinKeyPattern = /^[A-Za-z0-9!#%&'*+\-^_`|~]{1,1024}$/;
export const maxTwinKeyBytes = 1024;

/** A legal hub key that a JavaScript object cannot hold as an ordinary property. */
export const reservedKey = '__proto__';
export const reservedKeyProblem = "is '__proto__', which hubjobs cannot carry safely";

const forbiddenForAll = '$()<>@,;:\\"/[]?={}';

/** Why `name` is not a valid method name or twin key, or undefined when it is. */
export function propertyNameProblem(
  name: unknown,
  kind: 'methodName' | 'twinKey',
): string | undefined {
  if (typeof name !== 'string') return 'must be a string';
  if (kind === 'twinKey' && name === reservedKey) return reservedKeyProblem;
  const pattern = kind === 'methodName' ? methodNamePattern : twinKeyPattern;
  if (pattern.test(name)) return undefined;
  if (name === '') return 'must not be empty';
  const bad = [...name].find((c) => !pattern.test(c));
  if (bad !== undefined)
    return `contains ${describeCharacter(bad)}, which IoT Hub does not allow in ${kind === 'methodName' ? 'a method name' : 'a twin property name'}`;
  return kind === 'methodName'
    ? `is ${name.length} characters long; IoT Hub's service SDKs allow at most ${maxMethodNameLength}`
    : `is longer than ${maxTwinKeyBytes} bytes`;
}

function describeCharacter(character: string): string {
  if (character === ' ') return 'a space';
  if (character === '\t') return 'a tab';
  if (forbiddenForAll.includes(character) || character === '.') return `'${character}'`;
  return `${JSON.stringify(character)} (only printable US-ASCII is allowed)`;
}
