import type { GroupedColumn, PathOperand, ProjectedField, SelectList } from './ast';
import { QuerySyntaxError, unsupportedSyntax } from './querySyntaxError';
import { isReserved, nameOf, type SelectItem, type WrittenSelect } from './selectList';
import type { TokenCursor } from './tokenCursor';

/** The `GROUP BY` clause: one property path, and the column it was written at. */
export interface GroupByClause {
  path: PathOperand;
  text: string;
  column: number;
}

const ONE_PATH = 'GROUP BY takes one property path';

/** `GROUP BY <property path>` where the cursor stands, or undefined when there is none. */
export function parseGroupBy(cursor: TokenCursor): GroupByClause | undefined {
  if (!cursor.isWord('GROUP') || !cursor.isWord('BY', 1)) return undefined;
  const { column } = cursor.next();
  cursor.next();
  const token = cursor.peek();
  if (token.kind === 'end') throw cursor.unexpected('a property path after GROUP BY');
  const isFunction = cursor.isSymbol('(', 1);
  if (token.kind !== 'path' || isReserved(cursor) || isFunction || isDevicesPath(token.segments)) {
    throw unsupportedSyntax(token.column, token.text, ONE_PATH);
  }
  cursor.next();
  if (cursor.isSymbol(',')) throw unsupportedSyntax(cursor.peek().column, ',', ONE_PATH);
  return { path: { kind: 'path', segments: token.segments }, text: token.text, column };
}

function isDevicesPath(segments: readonly string[]): boolean {
  return segments[0]?.toLowerCase() === 'devices';
}

/** What the select list means, given the query's GROUP BY (or its absence). */
export function resolveSelect(
  written: WrittenSelect,
  groupBy: GroupByClause | undefined,
): SelectList {
  if (groupBy) return groupedSelect(written, groupBy);
  if (written.kind === 'star') return written;
  const [first, ...rest] = written.items;
  if (first?.kind === 'count' && rest.length === 0) return { kind: 'count', alias: nameOf(first) };
  const count = written.items.find((item) => item.kind === 'count');
  if (count) {
    throw new QuerySyntaxError(
      `Syntax error at column ${count.column}: COUNT() beside other projections needs GROUP BY`,
      count.column,
    );
  }
  return { kind: 'fields', fields: written.items.map(toProjectedField) };
}

function toProjectedField(item: SelectItem): ProjectedField {
  if (item.kind === 'count') throw new Error('a COUNT() is not a projected field');
  return { path: item.path, name: nameOf(item) };
}

function groupedSelect(written: WrittenSelect, groupBy: GroupByClause): SelectList {
  if (written.kind === 'star') {
    throw unsupportedSyntax(
      groupBy.column,
      'GROUP BY',
      'a grouped query selects the grouped property and COUNT(), each with AS, not *',
    );
  }
  const columns = written.items.map((item) => groupedColumn(item, groupBy));
  return { kind: 'grouped', groupBy: groupBy.path, columns };
}

function groupedColumn(item: SelectItem, groupBy: GroupByClause): GroupedColumn {
  const text = item.kind === 'count' ? 'COUNT()' : item.text;
  if (item.alias === undefined) {
    throw new QuerySyntaxError(
      `Syntax error at column ${item.column}: a grouped query needs AS on each projection, and ${text} has none`,
      item.column,
    );
  }
  if (item.kind === 'field' && !samePath(item.path, groupBy.path)) {
    throw new QuerySyntaxError(
      `Syntax error at column ${item.column}: a grouped query projects only its GROUP BY property (${groupBy.text}) and COUNT(), not ${text}`,
      item.column,
    );
  }
  return { kind: item.kind === 'count' ? 'count' : 'key', name: item.alias };
}

/** The first segment matches case-insensitively and the rest exactly, as conditions read them. */
function samePath(left: PathOperand, right: PathOperand): boolean {
  const [leftFirst = '', ...leftRest] = left.segments;
  const [rightFirst = '', ...rightRest] = right.segments;
  return (
    leftFirst.toLowerCase() === rightFirst.toLowerCase() &&
    leftRest.length === rightRest.length &&
    leftRest.every((segment, index) => segment === rightRest[index])
  );
}
