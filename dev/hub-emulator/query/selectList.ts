import type { ProjectedField, SelectList } from './ast';
import { QuerySyntaxError, unsupportedSyntax } from './querySyntaxError';
import type { TokenCursor } from './tokenCursor';

/** The column name of `SELECT COUNT() FROM ...` when no `AS alias` is given. */
export const DEFAULT_COUNT_ALIAS = 'count';

/** Words that cannot name a projected field or an alias. */
const RESERVED_NAMES = new Set(['SELECT', 'FROM', 'WHERE', 'AS', 'COUNT', 'TOP', 'DISTINCT']);

/** `*`, `COUNT() [AS alias]`, or a comma list of property paths, each with an optional alias. */
export function parseSelectList(cursor: TokenCursor): SelectList {
  if (cursor.isSymbol('*')) {
    cursor.next();
    return { kind: 'star' };
  }
  if (cursor.isWord('COUNT') && cursor.isSymbol('(', 1)) return parseCount(cursor);
  const token = cursor.peek();
  if (token.kind === 'end') throw cursor.unexpected('*, COUNT() or a property path');
  if (token.kind !== 'path' || isReserved(cursor)) {
    throw unsupportedSyntax(token.column, token.text, 'select *, COUNT() or property paths');
  }
  return { kind: 'fields', fields: parseFields(cursor) };
}

function parseCount(cursor: TokenCursor): SelectList {
  cursor.next();
  cursor.next();
  cursor.expectSymbol(')');
  return { kind: 'count', alias: parseAlias(cursor) ?? DEFAULT_COUNT_ALIAS };
}

function parseFields(cursor: TokenCursor): ProjectedField[] {
  const fields: ProjectedField[] = [];
  const names = new Set<string>();
  do {
    if (fields.length > 0) cursor.next();
    const field = parseField(cursor);
    if (names.has(field.name)) {
      throw new QuerySyntaxError(
        `Two projected fields are named ${field.name}; give one of them an alias with AS`,
      );
    }
    names.add(field.name);
    fields.push(field);
  } while (cursor.isSymbol(','));
  return fields;
}

function parseField(cursor: TokenCursor): ProjectedField {
  const token = cursor.peek();
  if (token.kind !== 'path' || isReserved(cursor)) throw cursor.unexpected('a property path');
  if (token.segments[0]?.toLowerCase() === 'devices') {
    throw unsupportedSyntax(token.column, token.text, 'name fields of the twin, without devices.');
  }
  cursor.next();
  const name = parseAlias(cursor) ?? token.segments[token.segments.length - 1] ?? token.text;
  return { path: { kind: 'path', segments: token.segments }, name };
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

function isReserved(cursor: TokenCursor): boolean {
  const token = cursor.peek();
  return (
    token.kind === 'path' &&
    token.segments.length === 1 &&
    RESERVED_NAMES.has(token.text.toUpperCase())
  );
}
