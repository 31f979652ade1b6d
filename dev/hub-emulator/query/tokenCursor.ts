import type { Token } from './lexer';
import { QuerySyntaxError, shorten } from './querySyntaxError';

/** Words that end a condition or belong to clauses the emulator does not run. */
const CLAUSE_KEYWORDS = new Set(['GROUP', 'ORDER', 'HAVING', 'LIMIT', 'OFFSET', 'JOIN', 'UNION']);

function describe(token: Token): string {
  return token.kind === 'end' ? 'end of query' : shorten(token.text);
}

/** Walks a token list; every parse error is raised here so the messages stay uniform. */
export class TokenCursor {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    const token = this.tokens[this.index + offset] ?? last;
    if (!token) throw new Error('TokenCursor needs at least the end token');
    return token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  /** True when the token is the single word `word`, case-insensitively. */
  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return (
      token.kind === 'path' && token.segments.length === 1 && token.text.toUpperCase() === word
    );
  }

  isSymbol(symbol: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'symbol' && token.text === symbol;
  }

  expectWord(word: string): Token {
    if (!this.isWord(word)) throw this.unexpected(word);
    return this.next();
  }

  expectSymbol(symbol: string): Token {
    if (!this.isSymbol(symbol)) throw this.unexpected(`"${symbol}"`);
    return this.next();
  }

  /** Raises on anything left over, naming unsupported clauses such as `GROUP BY` explicitly. */
  expectEnd(expected: string): void {
    const token = this.peek();
    if (token.kind === 'end') return;
    const word = token.text.toUpperCase();
    if (token.kind === 'path' && CLAUSE_KEYWORDS.has(word)) {
      const clause = this.isWord('BY', 1) ? `${word} BY` : word;
      throw new QuerySyntaxError(
        `Unsupported syntax at column ${token.column}: ${clause}`,
        token.column,
      );
    }
    throw this.unexpected(expected);
  }

  unexpected(expected: string, token = this.peek()): QuerySyntaxError {
    return new QuerySyntaxError(
      `Syntax error at column ${token.column}: expected ${expected}, found ${describe(token)}`,
      token.column,
    );
  }
}
