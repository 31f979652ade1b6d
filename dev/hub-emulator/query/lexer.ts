import { QuerySyntaxError, shorten, unsupportedSyntax } from './querySyntaxError';

interface TokenBase {
  /** The source text of the token. */
  text: string;
  /** 1-based. */
  column: number;
}

export type Token =
  | (TokenBase & { kind: 'path'; segments: string[] })
  | (TokenBase & { kind: 'string'; value: string })
  | (TokenBase & { kind: 'number'; value: number })
  | (TokenBase & { kind: 'symbol' })
  | (TokenBase & { kind: 'end' });

const WHITESPACE = /\s+/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const PATH = /[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]+)*/uy;
const SYMBOL = /<=|>=|<>|!=|[=<>()[\],*]/y;
/** What gets named in the error when nothing else matches: up to the next space or delimiter. */
const UNKNOWN_RUN = /[^\s()[\],=<>]+|./uy;

function matchAt(pattern: RegExp, source: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(source)?.[0];
}

function readString(source: string, position: number): Token {
  const quote = source.charAt(position);
  const column = position + 1;
  const closing = source.indexOf(quote, position + 1);
  if (closing < 0) {
    throw new QuerySyntaxError(
      `Unterminated string at column ${column}: ${shorten(source.slice(position))}`,
      column,
    );
  }
  const value = source.slice(position + 1, closing);
  const backslash = value.indexOf('\\');
  // The hub does not document escape sequences, so refuse them rather than guess.
  if (backslash >= 0) {
    const hint = 'escape sequences in string literals are not supported';
    throw unsupportedSyntax(column + 1 + backslash, '\\', hint);
  }
  return { kind: 'string', value, text: source.slice(position, closing + 1), column };
}

function readToken(source: string, position: number): Token {
  const column = position + 1;
  const first = source.charAt(position);
  if (first === "'" || first === '"') return readString(source, position);
  const number = matchAt(NUMBER, source, position);
  if (number !== undefined) return { kind: 'number', value: Number(number), text: number, column };
  const path = matchAt(PATH, source, position);
  if (path !== undefined) return { kind: 'path', segments: path.split('.'), text: path, column };
  const symbol = matchAt(SYMBOL, source, position);
  if (symbol !== undefined) return { kind: 'symbol', text: symbol, column };
  throw unsupportedSyntax(column, matchAt(UNKNOWN_RUN, source, position) ?? first);
}

/** Splits a query into tokens; the last token is always `end`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (;;) {
    position += matchAt(WHITESPACE, source, position)?.length ?? 0;
    if (position >= source.length) break;
    const token = readToken(source, position);
    tokens.push(token);
    position += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return tokens;
}
