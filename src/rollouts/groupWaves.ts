import { hubQueryLength, maxHubQueryLength } from '../core/deviceIdCondition';
import { ValidationError } from '../core/errors';

/**
 * Wave n's condition: the targets AND group n AND NOT each earlier group. A device matching two
 * groups would otherwise be operated twice, once per wave; excluding the earlier groups leaves it
 * in the first group it matches only, decided by the hub at no query cost.
 */
export function groupWaveCondition(
  targets: string,
  groups: readonly string[],
  wave: number,
): string {
  return `(${targets}) AND ${groupClause(groups, wave)}`;
}

function groupClause(groups: readonly string[], wave: number): string {
  const earlier = groups.slice(0, wave - 1).map((group) => ` AND NOT (${group})`);
  return `(${groups[wave - 1] ?? ''})${earlier.join('')}`;
}

/** Characters a group wave adds to its targets' condition. */
export function groupWaveOverhead(groups: readonly string[], wave: number): number {
  return groupWaveCondition('', groups, wave).length;
}

/** Throws `ValidationError` naming the group (0-based, as in the body) when the query is too long. */
export function refuseOverlongGroupWave(
  condition: string,
  wave: number,
  targetsLength: number,
): void {
  if (hubQueryLength(condition) <= maxHubQueryLength) return;
  throw new ValidationError([
    {
      field: `waves.groups.${wave - 1}`,
      message: `makes wave ${wave}'s query ${hubQueryLength(condition)} characters with the targets (${targetsLength}) and the earlier groups excluded, over IoT Hub's limit of ${maxHubQueryLength}: shorten the groups`,
    },
  ]);
}
