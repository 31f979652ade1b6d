import { hubQueryPrefix, maxDeviceIdLength, maxHubQueryLength } from '../core/deviceIdCondition';
import type { FieldError } from '../core/errors';
import { isPlainObject } from '../core/validateTwinPatch';
import type { RolloutOperation } from './rollout';

/** One desired property the patch writes: its path under `properties.desired` and its value. */
export interface DesiredLeaf {
  path: string[];
  value: string | number | boolean;
}

/** What a verification query starts with: longer than a job's `SELECT * …` by the field name. */
export const verifyQueryPrefix = 'SELECT deviceId FROM devices WHERE ';
const clauseOpening = ' AND (';
const clauseClosing = ')';

// A name the query language reaches with a plain dotted path; anything else would need quoting
// the hub does not document.
const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The devices that have not converged: for each desired leaf, the reported value is missing or
 * differs. `!=` matches only a reported value of the same primitive type, so a reported value of
 * another type is not caught (docs/rollouts.md, "Verified convergence").
 */
export function notConvergedClause(leaves: readonly DesiredLeaf[]): string {
  return leaves
    .map(({ path, value }) => {
      const property = `properties.reported.${path.join('.')}`;
      return `(NOT IS_DEFINED(${property}) OR ${property} != ${literal(value)})`;
    })
    .join(' OR ');
}

/** Characters a verification query adds to a `deviceId IN [...]` condition, beyond a job's query. */
export function verifyQueryOverhead(clause: string): number {
  const longerPrefix = verifyQueryPrefix.length - hubQueryPrefix.length;
  return longerPrefix + clauseOpening.length + clause.length + clauseClosing.length;
}

/** `<ids condition> AND (<clause>)`: the stragglers among the listed devices. */
export function stragglersCondition(idsCondition: string, clause: string): string {
  return `${idsCondition}${clauseOpening}${clause}${clauseClosing}`;
}

/** The desired leaves of a twin operation, in patch order (validated: see `verifyProblems`). */
export function desiredLeaves(operation: RolloutOperation): DesiredLeaf[] {
  const leaves: DesiredLeaf[] = [];
  collectLeaves(operation.updateTwin?.properties?.desired ?? {}, [], leaves, []);
  return leaves;
}

/** The clause a verified rollout's queries use, from its stored operation. */
export function clauseOf(operation: RolloutOperation): string {
  return notConvergedClause(desiredLeaves(operation));
}

/**
 * Why `verify` cannot be used with this operation: not a twin update, no desired leaf, a leaf
 * that is null, an array or a name or value the query cannot state, or a clause leaving no room
 * for a device id within the hub's query limit.
 */
export function verifyProblems(operation: RolloutOperation): FieldError[] {
  if (operation.type !== 'scheduleUpdateTwin') {
    return [
      problem('verify applies to twin-update rollouts only (operation.type scheduleUpdateTwin)'),
    ];
  }
  const problems: string[] = [];
  const leaves: DesiredLeaf[] = [];
  collectLeaves(operation.updateTwin?.properties?.desired ?? {}, [], leaves, problems);
  if (problems.length > 0) return problems.map(problem);
  if (leaves.length === 0) {
    return [
      problem('needs at least one desired property to compare: the patch has no desired leaf'),
    ];
  }
  const clause = notConvergedClause(leaves);
  const room = maxHubQueryLength - verifyQueryPrefix.length - "deviceId IN ['']".length;
  const needed = clauseOpening.length + clause.length + clauseClosing.length + maxDeviceIdLength;
  if (needed > room) {
    return [
      problem(
        `makes a ${clause.length}-character comparison clause, leaving no room for a device id within IoT Hub's query limit of ${maxHubQueryLength}: verify fewer desired properties`,
      ),
    ];
  }
  return [];
}

function problem(message: string): FieldError {
  return { field: 'verify', message };
}

function collectLeaves(
  node: Record<string, unknown>,
  path: string[],
  leaves: DesiredLeaf[],
  problems: string[],
): void {
  for (const [key, value] of Object.entries(node)) {
    const at = [...path, key];
    const name = `properties.desired.${at.join('.')}`;
    if (!plainName.test(key)) {
      problems.push(
        `cannot compare ${name}: a verified property's name must be letters, digits and _ (not starting with a digit)`,
      );
    } else if (value === null) {
      problems.push(
        `cannot compare ${name}: it is null, which removes the property rather than setting it`,
      );
    } else if (Array.isArray(value)) {
      problems.push(
        `cannot compare ${name}: it is an array; verify compares strings, numbers and booleans`,
      );
    } else if (isPlainObject(value)) {
      collectLeaves(value, at, leaves, problems);
    } else if (typeof value === 'string' && /['\\]/.test(value)) {
      problems.push(
        `cannot compare ${name}: its value holds a quote or a backslash, which IoT Hub's query language gives no documented way to escape`,
      );
    } else if (
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      typeof value === 'number'
    ) {
      leaves.push({ path: at, value });
    } else {
      problems.push(`cannot compare ${name}: verify compares strings, numbers and booleans`);
    }
  }
}

function literal(value: string | number | boolean): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Characters each chunk's id list leaves free for the rollout's verification clause (0: none). */
export function verifyReserve(spec: { operation: RolloutOperation; verify?: unknown }): number {
  return spec.verify === undefined ? 0 : verifyQueryOverhead(clauseOf(spec.operation));
}
