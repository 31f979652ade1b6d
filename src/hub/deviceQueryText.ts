import { maxHubQueryLength } from '../core/deviceIdCondition';
import { HubCallError } from '../core/hubCallError';

/** The alias the count query names its one column with. */
export const countAlias = 'n';

const projectionPrefix = 'SELECT deviceId FROM devices';
const twinsPrefix = 'SELECT * FROM devices';
const countPrefix = `SELECT COUNT() AS ${countAlias} FROM devices`;

/** `SELECT COUNT() AS n FROM devices WHERE <condition>`; `*` counts every device. */
export function countDevicesQuery(queryCondition: string): string {
  const sql = `${countPrefix}${whereClause(queryCondition)}`;
  if (sql.length > maxHubQueryLength) throw tooLong(queryCondition, 'counted');
  return sql;
}

/**
 * `SELECT deviceId FROM devices WHERE <condition>`. A condition that only a job's shorter
 * `SELECT *` wrapper leaves room for is read with `SELECT *` instead: the same query cost,
 * bigger items, and every condition a job takes can still be resolved.
 */
export function deviceIdsQuery(queryCondition: string): string {
  const where = whereClause(queryCondition);
  const projection = `${projectionPrefix}${where}`;
  if (projection.length <= maxHubQueryLength) return projection;
  const twins = `${twinsPrefix}${where}`;
  if (twins.length <= maxHubQueryLength) return twins;
  throw tooLong(queryCondition, 'resolved');
}

/** A job's `*` means every device; in a query that is no WHERE clause at all. */
export function whereClause(queryCondition: string): string {
  const condition = queryCondition.trim();
  if (condition === '') throw new HubCallError('badRequest', 'The query condition is empty.');
  return condition === '*' ? '' : ` WHERE ${condition}`;
}

function tooLong(queryCondition: string, verb: string): HubCallError {
  return new HubCallError(
    'badRequest',
    `A ${queryCondition.length}-character query condition is too long to be ${verb}: the query would exceed IoT Hub's limit of ${maxHubQueryLength} characters.`,
  );
}
