/**
 * The part of the IoT Hub query language that jobs and operators use: `SELECT *` or
 * `SELECT COUNT() [AS alias]` (alias defaults to `count`) `FROM devices | devices.jobs [WHERE ...]`.
 */
export type { Expr, ParsedQuery, QueryValue } from './ast';
export { QuerySyntaxError } from './querySyntaxError';
export { parseCondition, parseQuery } from './parseQuery';
export { compileCondition, matches } from './compileCondition';
