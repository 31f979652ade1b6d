import type { ComparisonOperator, Expr, QueryValue } from './ast';
import { operandReader } from './pathReader';

/** Three-valued (Kleene) truth: `undefined` is "unknown". */
type Truth = boolean | undefined;
type Evaluator = (row: object) => Truth;
export type RowPredicate = (row: object) => boolean;

function kindOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** The hub compares only values of one type; anything else, or a missing value, is unknown. */
function compareValues(left: unknown, right: unknown, operator: ComparisonOperator): Truth {
  if (left === undefined || right === undefined) return undefined;
  const kind = kindOf(left);
  if (kind !== kindOf(right) || kind === 'object') return undefined;
  if (operator === '=') return left === right;
  if (operator === '!=') return left !== right;
  if (kind !== 'string' && kind !== 'number') return undefined;
  const [a, b] = [left as string | number, right as string | number];
  if (operator === '<') return a < b;
  if (operator === '>') return a > b;
  if (operator === '<=') return a <= b;
  return a >= b;
}

/** `x IN [...]` is `x = v1 OR x = v2 ...`; a one-type list becomes a Set lookup. */
function membershipTest(values: readonly QueryValue[]): (value: unknown) => Truth {
  const kinds = new Set(values.map(kindOf));
  if (kinds.size > 1) {
    return (value) => {
      let result: Truth = false;
      for (const candidate of values) {
        const equal = compareValues(value, candidate, '=');
        if (equal === true) return true;
        if (equal === undefined) result = undefined;
      }
      return result;
    };
  }
  const [listKind] = kinds;
  const members = new Set<unknown>(values);
  return (value) => {
    if (value === undefined) return undefined;
    if (listKind === undefined) return false;
    return kindOf(value) === listKind ? members.has(value) : undefined;
  };
}

function not(truth: Truth): Truth {
  return truth === undefined ? undefined : !truth;
}

function compileAnd(left: Evaluator, right: Evaluator): Evaluator {
  return (row) => {
    const first = left(row);
    if (first === false) return false;
    const second = right(row);
    if (second === false) return false;
    return first === true && second === true ? true : undefined;
  };
}

function compileOr(left: Evaluator, right: Evaluator): Evaluator {
  return (row) => {
    const first = left(row);
    if (first === true) return true;
    const second = right(row);
    if (second === true) return true;
    return first === false && second === false ? false : undefined;
  };
}

function compileExpr(expr: Expr): Evaluator {
  switch (expr.kind) {
    case 'and':
      return compileAnd(compileExpr(expr.left), compileExpr(expr.right));
    case 'or':
      return compileOr(compileExpr(expr.left), compileExpr(expr.right));
    case 'not': {
      const operand = compileExpr(expr.operand);
      return (row) => not(operand(row));
    }
    case 'compare': {
      const [left, right, operator] = [
        operandReader(expr.left),
        operandReader(expr.right),
        expr.operator,
      ];
      return (row) => compareValues(left(row), right(row), operator);
    }
    case 'in': {
      const [read, test] = [operandReader(expr.operand), membershipTest(expr.values)];
      return expr.negated ? (row) => not(test(read(row))) : (row) => test(read(row));
    }
    case 'isDefined': {
      const read = operandReader(expr.operand);
      return (row) => read(row) !== undefined;
    }
  }
}

/** Compiles a WHERE clause once into a predicate; a row matches only when the clause is true. */
export function compileCondition(where: Expr | undefined): RowPredicate {
  if (where === undefined) return () => true;
  const evaluate = compileExpr(where);
  return (row) => evaluate(row) === true;
}

const compiledPredicates = new WeakMap<Expr, RowPredicate>();

/** Like `compileCondition(where)(row)`, compiling each parsed clause only once. */
export function matches(where: Expr | undefined, row: object): boolean {
  if (where === undefined) return true;
  let predicate = compiledPredicates.get(where);
  if (!predicate) {
    predicate = compileCondition(where);
    compiledPredicates.set(where, predicate);
  }
  return predicate(row);
}
