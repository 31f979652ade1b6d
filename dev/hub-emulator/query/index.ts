/**
 * The part of the IoT Hub query language that jobs and operators use: `SELECT *`,
 * `SELECT COUNT() [AS alias]` (alias defaults to `count`) or, over devices, a projection
 * `SELECT deviceId, tags.ring [AS ring], …` `FROM devices | devices.jobs [WHERE ...]`.
 */
export type { Expr, ParsedQuery, ProjectedField, QueryValue } from './ast';
export { QuerySyntaxError } from './querySyntaxError';
export { parseCondition, parseQuery } from './parseQuery';
export { compileCondition, matches } from './compileCondition';
export { compileProjection, type RowProjection } from './projectFields';
