import type { Expr, ParsedQuery, QuerySource } from './ast';
import { ConditionParser } from './conditionParser';
import { parseGroupBy, resolveSelect } from './groupBy';
import { tokenize } from './lexer';
import { QuerySyntaxError, unsupportedSyntax } from './querySyntaxError';
import { parseSelectList } from './selectList';
import { TokenCursor } from './tokenCursor';

/** The hub's limit on a whole query, SELECT and FROM included. */
export const MAX_QUERY_LENGTH = 8192;
/** A job's condition runs inside this wrapper, so its length counts against the limit too. */
const CONDITION_WRAPPER = 'SELECT * FROM devices WHERE ';

function assertLength(length: number): void {
  if (length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxError(`query longer than ${MAX_QUERY_LENGTH} characters`);
  }
}

function parseSource(cursor: TokenCursor): QuerySource {
  const token = cursor.peek();
  if (token.kind !== 'path') throw cursor.unexpected('devices or devices.jobs');
  const name = token.text.toLowerCase();
  if (name !== 'devices' && name !== 'devices.jobs')
    throw unsupportedSyntax(token.column, token.text);
  cursor.next();
  return name;
}

/** Parses a full `SELECT ... FROM ... [WHERE ...] [GROUP BY <path>]` statement. */
export function parseQuery(sql: string): ParsedQuery {
  assertLength(sql.length);
  const cursor = new TokenCursor(tokenize(sql));
  cursor.expectWord('SELECT');
  const firstToken = cursor.peek();
  const written = parseSelectList(cursor);
  cursor.expectWord('FROM');
  const from = parseSource(cursor);
  let where: Expr | undefined;
  if (cursor.isWord('WHERE')) {
    cursor.next();
    where = new ConditionParser(cursor, from).parse();
  }
  const groupBy = from === 'devices' ? parseGroupBy(cursor) : undefined;
  cursor.expectEnd(endExpected(where !== undefined, groupBy !== undefined));
  const select = resolveSelect(written, groupBy);
  if (select.kind === 'count' && from === 'devices.jobs') {
    throw unsupportedSyntax(firstToken.column, 'COUNT() FROM devices.jobs');
  }
  if (select.kind === 'fields' && from === 'devices.jobs') {
    throw unsupportedSyntax(firstToken.column, firstToken.text, 'select * from devices.jobs');
  }
  return { select, from, where };
}

function endExpected(hasWhere: boolean, hasGroupBy: boolean): string {
  if (hasGroupBy) return 'end of query';
  return hasWhere ? 'AND, OR, GROUP BY or end of query' : 'WHERE, GROUP BY or end of query';
}

/** Parses a job's `queryCondition` (a WHERE clause without `WHERE`); `*` means every device. */
export function parseCondition(condition: string): Expr | undefined {
  assertLength(CONDITION_WRAPPER.length + condition.length);
  const tokens = tokenize(condition);
  const cursor = new TokenCursor(tokens);
  if (tokens.length === 2 && cursor.isSymbol('*')) return undefined;
  const where = new ConditionParser(cursor, 'devices').parse();
  cursor.expectEnd('AND, OR or end of condition');
  return where;
}
