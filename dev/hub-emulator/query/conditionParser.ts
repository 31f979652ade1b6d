import type {
  ComparisonOperator,
  Expr,
  Operand,
  PathOperand,
  QuerySource,
  QueryValue,
} from './ast';
import type { Token } from './lexer';
import { unsupportedSyntax } from './querySyntaxError';
import type { TokenCursor } from './tokenCursor';

const COMPARISON_OPERATORS: ReadonlyMap<string, ComparisonOperator> = new Map([
  ['=', '='],
  ['!=', '!='],
  ['<>', '!='],
  ['<', '<'],
  ['>', '>'],
  ['<=', '<='],
  ['>=', '>='],
]);

const LITERAL_WORDS: ReadonlyMap<string, QueryValue> = new Map([
  ['TRUE', true],
  ['FALSE', false],
  ['NULL', null],
]);

/** Single words that can never be a property name in a condition. */
const RESERVED_WORDS = new Set(
  [
    'SELECT FROM WHERE AND OR NOT IN NIN AS BY GROUP ORDER',
    'COUNT IS_DEFINED TOP DISTINCT VALUE LIKE BETWEEN IS',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Recursive descent over `cond := or; or := and (OR and)*; and := not (AND not)*;
 * not := NOT not | primary`, so NOT binds tighter than AND, and AND tighter than OR.
 */
export class ConditionParser {
  constructor(
    private readonly cursor: TokenCursor,
    private readonly source: QuerySource,
  ) {}

  parse(): Expr {
    let left = this.parseAnd();
    while (this.cursor.isWord('OR')) {
      this.cursor.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.cursor.isWord('AND')) {
      this.cursor.next();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (!this.cursor.isWord('NOT')) return this.parsePrimary();
    this.cursor.next();
    return { kind: 'not', operand: this.parseNot() };
  }

  private parsePrimary(): Expr {
    if (this.cursor.isSymbol('(')) {
      this.cursor.next();
      const inner = this.parse();
      this.cursor.expectSymbol(')');
      return inner;
    }
    if (this.cursor.peek().kind === 'path' && this.cursor.isSymbol('(', 1)) {
      return this.parseFunction();
    }
    return this.parseComparison(this.parseOperand());
  }

  private parseFunction(): Expr {
    const name = this.cursor.next();
    if (name.text.toUpperCase() !== 'IS_DEFINED') {
      throw unsupportedSyntax(name.column, name.text, 'the only supported function is IS_DEFINED');
    }
    this.cursor.expectSymbol('(');
    const operand = this.parseOperand();
    if (operand.kind !== 'path') throw this.cursor.unexpected('a property path', this.previous());
    this.cursor.expectSymbol(')');
    return { kind: 'isDefined', operand };
  }

  private parseComparison(left: Operand): Expr {
    const token = this.cursor.peek();
    const operator = token.kind === 'symbol' ? COMPARISON_OPERATORS.get(token.text) : undefined;
    if (operator) {
      this.cursor.next();
      return { kind: 'compare', operator, left, right: this.parseOperand() };
    }
    if (this.cursor.isWord('IN') || this.cursor.isWord('NIN')) {
      const negated = this.cursor.isWord('NIN');
      this.cursor.next();
      return { kind: 'in', negated, operand: left, values: this.parseList() };
    }
    throw this.cursor.unexpected('a comparison operator, IN or NIN');
  }

  private parseList(): QueryValue[] {
    this.cursor.expectSymbol('[');
    const values: QueryValue[] = [];
    while (!this.cursor.isSymbol(']')) {
      if (values.length > 0) this.cursor.expectSymbol(',');
      const operand = this.parseOperand();
      if (operand.kind !== 'literal') throw this.cursor.unexpected('a literal', this.previous());
      values.push(operand.value);
    }
    this.cursor.next();
    return values;
  }

  private parseOperand(): Operand {
    const token = this.cursor.peek();
    if (token.kind === 'string' || token.kind === 'number') {
      this.cursor.next();
      return { kind: 'literal', value: token.value };
    }
    if (token.kind !== 'path') throw this.cursor.unexpected('a property path or a literal');
    const word = token.segments.length === 1 ? token.text.toUpperCase() : '';
    const literal = LITERAL_WORDS.get(word);
    if (RESERVED_WORDS.has(word)) throw this.cursor.unexpected('a property path or a literal');
    this.cursor.next();
    return literal === undefined ? this.resolvePath(token) : { kind: 'literal', value: literal };
  }

  /** `devices.jobs.<field>` reads `<field>` of a device job; no other `devices.` path exists. */
  private resolvePath(token: Token & { kind: 'path' }): PathOperand {
    const [first, second] = token.segments;
    if (first?.toLowerCase() !== 'devices') return { kind: 'path', segments: token.segments };
    const isJobField = token.segments.length > 2 && second?.toLowerCase() === 'jobs';
    if (this.source === 'devices.jobs' && isJobField) {
      return { kind: 'path', segments: token.segments.slice(2) };
    }
    throw unsupportedSyntax(token.column, token.text);
  }

  private previous(): Token {
    return this.cursor.peek(-1);
  }
}
