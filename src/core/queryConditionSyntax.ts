/**
 * A conservative syntax pre-check of a query condition: it refuses only what no query language
 * could read (an unterminated string, unbalanced brackets, an operator with nothing on one side,
 * an empty list item). Anything else goes to the hub, which has the last word (docs/hub-limits.md).
 */

type TokenKind = 'string' | 'open' | 'close' | 'comma' | 'binary' | 'not' | 'word' | 'value';

interface Token {
  kind: TokenKind;
  text: string;
}

const binaryKeywords = new Set(['AND', 'OR', 'IN']);
const pairs: Record<string, string> = { ')': '(', ']': '[' };
const spacePattern = /\s*/y;
const wordPattern = /[A-Za-z_$][\w$]*(?:\.[\w$]+)*/y;
const operatorPattern = /[=!<>]+/y;
const valuePattern = /[^\s'"()[\],=!<>A-Za-z_$]+/y;

/** Why `condition` is certainly malformed, or undefined when the hub should judge it. */
export function queryConditionSyntaxProblem(condition: string): string | undefined {
  const scanned = tokenize(condition);
  if (typeof scanned === 'string') return scanned;
  return bracketProblem(scanned) ?? operatorProblem(scanned);
}

function tokenize(condition: string): Token[] | string {
  const tokens: Token[] = [];
  let at = skipSpace(condition, 0);
  while (at < condition.length) {
    const token = nextToken(condition, at);
    if (token === undefined) {
      const quote = condition.charAt(at);
      return `has a string opened with ${quote} at character ${at + 1} that is never closed`;
    }
    tokens.push(token);
    at = skipSpace(condition, at + token.text.length);
  }
  return tokens;
}

function skipSpace(text: string, at: number): number {
  spacePattern.lastIndex = at;
  spacePattern.test(text);
  return spacePattern.lastIndex;
}

function match(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** The token at `at`; undefined for a string literal that never ends. */
function nextToken(text: string, at: number): Token | undefined {
  const first = text.charAt(at);
  if (first === "'" || first === '"') {
    const end = text.indexOf(first, at + 1);
    return end < 0 ? undefined : { kind: 'string', text: text.slice(at, end + 1) };
  }
  if (first === '(' || first === '[') return { kind: 'open', text: first };
  if (first === ')' || first === ']') return { kind: 'close', text: first };
  if (first === ',') return { kind: 'comma', text: first };
  const operator = match(operatorPattern, text, at);
  if (operator !== undefined) return { kind: 'binary', text: operator };
  const word = match(wordPattern, text, at);
  if (word !== undefined) return { kind: wordKind(word), text: word };
  return { kind: 'value', text: match(valuePattern, text, at) ?? first };
}

function wordKind(word: string): TokenKind {
  const upper = word.toUpperCase();
  if (upper === 'NOT') return 'not';
  return binaryKeywords.has(upper) ? 'binary' : 'word';
}

function bracketProblem(tokens: Token[]): string | undefined {
  const open: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'open') open.push(token.text);
    if (token.kind !== 'close') continue;
    const expected = pairs[token.text];
    const last = open.pop();
    if (last === undefined) return `has a '${token.text}' that closes nothing`;
    if (last !== expected) return `closes '${last}' with '${token.text}'`;
  }
  const unclosed = open.at(-1);
  if (unclosed === undefined) return undefined;
  return `has ${open.length} '${unclosed === '(' ? '(' : '['}' never closed`;
}

/** An operator or list separator with nothing to act on, on the side it needs something. */
function operatorProblem(tokens: Token[]): string | undefined {
  for (const [index, token] of tokens.entries()) {
    const before = tokens[index - 1];
    const after = tokens[index + 1];
    const needsLeft = token.kind === 'binary' || token.kind === 'comma';
    const needsRight = needsLeft || token.kind === 'not';
    if (needsLeft && (before === undefined || before.kind === 'open' || before.kind === 'comma')) {
      return `has '${token.text}' with nothing before it`;
    }
    if (needsRight && (after === undefined || after.kind === 'close' || after.kind === 'comma')) {
      return `has '${token.text}' with nothing after it`;
    }
    if (token.kind === 'binary' && after?.kind === 'binary') {
      return `has '${token.text}' directly followed by '${after.text}'`;
    }
    if (
      token.kind === 'open' &&
      token.text === '(' &&
      after?.text === ')' &&
      before?.kind !== 'word'
    ) {
      return "has '()' with nothing inside";
    }
  }
  return undefined;
}
