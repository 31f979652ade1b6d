/** A literal value as the query language writes it. */
export type QueryValue = string | number | boolean | null;

/** A property path, already stripped of any `devices.jobs.` prefix. */
export interface PathOperand {
  kind: 'path';
  segments: readonly string[];
}

export interface LiteralOperand {
  kind: 'literal';
  value: QueryValue;
}

export type Operand = PathOperand | LiteralOperand;

/** `<>` is parsed as `!=`. */
export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Expr =
  | { kind: 'compare'; operator: ComparisonOperator; left: Operand; right: Operand }
  | { kind: 'in'; negated: boolean; operand: Operand; values: readonly QueryValue[] }
  | { kind: 'isDefined'; operand: PathOperand }
  | { kind: 'and'; left: Expr; right: Expr }
  | { kind: 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr };

export type QuerySource = 'devices' | 'devices.jobs';

/** One element of a projection: the value at `path`, under `name` in each answered item. */
export interface ProjectedField {
  path: PathOperand;
  /** The `AS` alias, or else the path's last segment as written. */
  name: string;
}

/** One column of a grouped query's rows: the grouping value or the group's count, by alias. */
export type GroupedColumn = { kind: 'key'; name: string } | { kind: 'count'; name: string };

export type SelectList =
  | { kind: 'star' }
  | { kind: 'count'; alias: string }
  | { kind: 'fields'; fields: readonly ProjectedField[] }
  | { kind: 'grouped'; groupBy: PathOperand; columns: readonly GroupedColumn[] };

export interface ParsedQuery {
  select: SelectList;
  from: QuerySource;
  /** `undefined` means every row. */
  where: Expr | undefined;
}
