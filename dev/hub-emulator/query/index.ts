/**
 * The part of the IoT Hub query language that jobs and operators use: `SELECT *`,
 * `SELECT COUNT() [AS alias]` (alias defaults to `count`) or, over devices, a projection
 * `SELECT deviceId, tags.ring [AS ring], …` `FROM devices | devices.jobs [WHERE ...]`, or a count
 * per value: `SELECT tags.x AS x, COUNT() AS n FROM devices [WHERE ...] GROUP BY tags.x`.
 */
export type { Expr, GroupedColumn, ParsedQuery, ProjectedField, QueryValue } from './ast';
export { QuerySyntaxError } from './querySyntaxError';
export { parseCondition, parseQuery } from './parseQuery';
export { compileCondition, matches } from './compileCondition';
export { compileProjection, type RowProjection } from './projectFields';
export { groupRow, groupValues, type ValueGroup } from './groupValues';
export { operandReader } from './pathReader';
