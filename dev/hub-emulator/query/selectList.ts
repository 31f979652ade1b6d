import type { PathOperand } from './ast';
import { QuerySyntaxError, unsupportedSyntax } from './querySyntaxError';
import type { TokenCursor } from './tokenCursor';

/** The column name of `SELECT COUNT() FROM ...` when no `AS alias` is given. */
export const DEFAULT_COUNT_ALIAS = 'count';

/** Words that cannot name a projected field or an alias. */
const RESERVED_NAMES = new Set(['SELECT', 'FROM', 'WHERE', 'AS', 'COUNT', 'TOP', 'DISTINCT']);

/** One element of a select list as written, before GROUP BY decides what it may be. */
export type SelectItem =
  | { kind: 'count'; alias: string | undefined; column: number }
  | { kind: 'field'; path: PathOperand; text: string; alias: string | undefined; column: number };

/** `*`, or a comma list of `COUNT()` and property paths, each with an optional alias. */
export type WrittenSelect = { kind: 'star' } | { kind: 'items'; items: SelectItem[] };

export function parseSelectList(cursor: TokenCursor): WrittenSelect {
  if (cursor.isSymbol('*')) {
    cursor.next();
    return { kind: 'star' };
  }
  const token = cursor.peek();
  if (token.kind === 'end') throw cursor.unexpected('*, COUNT() or a property path');
  if (!isCount(cursor) && (token.kind !== 'path' || isReserved(cursor))) {
    throw unsupportedSyntax(token.column, token.text, 'select *, COUNT() or property paths');
  }
  const items: SelectItem[] = [];
  const names = new Set<string>();
  do {
    if (items.length > 0) cursor.next();
    const item = isCount(cursor) ? parseCount(cursor) : parseField(cursor);
    const name = nameOf(item);
    if (names.has(name)) {
      throw new QuerySyntaxError(
        `Two projected fields are named ${name}; give one of them an alias with AS`,
      );
    }
    names.add(name);
    items.push(item);
  } while (cursor.isSymbol(','));
  return { kind: 'items', items };
}

/** The alias, else `count` for COUNT() and the path's last segment for a field. */
export function nameOf(item: SelectItem): string {
  if (item.alias !== undefined) return item.alias;
  if (item.kind === 'count') return DEFAULT_COUNT_ALIAS;
  return item.path.segments[item.path.segments.length - 1] ?? item.text;
}

function isCount(cursor: TokenCursor): boolean {
  return cursor.isWord('COUNT') && cursor.isSymbol('(', 1);
}

function parseCount(cursor: TokenCursor): SelectItem {
  const { column } = cursor.next();
  cursor.next();
  cursor.expectSymbol(')');
  return { kind: 'count', alias: parseAlias(cursor), column };
}

function parseField(cursor: TokenCursor): SelectItem {
  const token = cursor.peek();
  if (token.kind !== 'path' || isReserved(cursor)) throw cursor.unexpected('a property path');
  if (token.segments[0]?.toLowerCase() === 'devices') {
    throw unsupportedSyntax(token.column, token.text, 'name fields of the twin, without devices.');
  }
  cursor.next();
  const path: PathOperand = { kind: 'path', segments: token.segments };
  return { kind: 'field', path, text: token.text, alias: parseAlias(cursor), column: token.column };
}

function parseAlias(cursor: TokenCursor): string | undefined {
  if (!cursor.isWord('AS')) return undefined;
  cursor.next();
  const alias = cursor.peek();
  if (alias.kind !== 'path' || alias.segments.length !== 1 || isReserved(cursor)) {
    throw cursor.unexpected('an alias name');
  }
  cursor.next();
  return alias.text;
}

/** A single reserved word: never a field or an alias. */
export function isReserved(cursor: TokenCursor): boolean {
  const token = cursor.peek();
  return (
    token.kind === 'path' &&
    token.segments.length === 1 &&
    RESERVED_NAMES.has(token.text.toUpperCase())
  );
}
