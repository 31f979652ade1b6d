import type { Expr } from '../query/index';

/**
 * The job id a `devices.jobs` condition pins down (`jobId = 'x'`, alone or AND-ed with other
 * terms), so a query can read that one job's records instead of every job's.
 */
export function jobIdOfCondition(where: Expr | undefined): string | undefined {
  if (where === undefined) return undefined;
  if (where.kind === 'and') return jobIdOfCondition(where.left) ?? jobIdOfCondition(where.right);
  if (where.kind !== 'compare' || where.operator !== '=') return undefined;
  const { left, right } = where;
  const [path, literal] = left.kind === 'path' ? [left, right] : [right, left];
  if (path.kind !== 'path' || literal.kind !== 'literal') return undefined;
  const isJobId = path.segments.length === 1 && path.segments[0]?.toLowerCase() === 'jobid';
  return isJobId && typeof literal.value === 'string' ? literal.value : undefined;
}
