/** Where and why `JSON.parse` failed; V8's own message gives no position for some errors. */
export interface JsonSyntaxErrorLocation {
  position: number;
  line: number;
  column: number;
  reason: string;
}

type Expectation =
  'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const literals = ['true', 'false', 'null'];

interface ScanState {
  text: string;
  position: number;
  expect: Expectation;
  /** The open `{` and `[`, innermost last: a stack instead of recursion. */
  containers: string[];
}

/**
 * Finds the first syntax error in `text` (RFC 8259), or undefined when it is valid JSON. Iterative,
 * so deeply nested input cannot overflow the stack.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxErrorLocation | undefined {
  const state: ScanState = { text, position: 0, expect: 'value', containers: [] };
  for (;;) {
    state.position = skipWhitespace(text, state.position);
    const c = text[state.position];
    if (state.expect === 'end') {
      return c === undefined
        ? undefined
        : fail(state, `unexpected ${shown(c)} after the JSON value`);
    }
    if (c === undefined) return fail(state, 'the input ends too early');
    const failure = step(state, c);
    if (failure !== undefined) return failure;
  }
}

function step(state: ScanState, c: string): JsonSyntaxErrorLocation | undefined {
  switch (state.expect) {
    case 'colon':
      if (c !== ':') return fail(state, `expected ':' after a property name, found ${shown(c)}`);
      return advance(state, 1, 'value');
    case 'commaOrClose':
      return commaOrClose(state, c);
    case 'key':
    case 'keyOrClose':
      if (state.expect === 'keyOrClose' && c === '}') return close(state);
      if (c !== '"')
        return fail(state, `expected a property name in double quotes, found ${shown(c)}`);
      return scanned(state, scanString(state.text, state.position), 'colon');
    default:
      if (state.expect === 'valueOrClose' && c === ']') return close(state);
      if (c !== '{' && c !== '[')
        return scanned(state, scanScalar(state.text, state.position), afterValue(state));
      state.containers.push(c);
      return advance(state, 1, c === '{' ? 'keyOrClose' : 'valueOrClose');
  }
}

function commaOrClose(state: ScanState, c: string): JsonSyntaxErrorLocation | undefined {
  const inObject = state.containers[state.containers.length - 1] === '{';
  const closing = inObject ? '}' : ']';
  if (c === ',') return advance(state, 1, inObject ? 'key' : 'value');
  if (c === closing) return close(state);
  return fail(state, `expected ',' or '${closing}', found ${shown(c)}`);
}

function close(state: ScanState): undefined {
  state.containers.pop();
  return advance(state, 1, afterValue(state));
}

function afterValue(state: ScanState): Expectation {
  return state.containers.length === 0 ? 'end' : 'commaOrClose';
}

function advance(state: ScanState, length: number, expect: Expectation): undefined {
  state.position += length;
  state.expect = expect;
  return undefined;
}

function scanned(
  state: ScanState,
  end: number | JsonSyntaxErrorLocation,
  expect: Expectation,
): JsonSyntaxErrorLocation | undefined {
  if (typeof end !== 'number') return end;
  return advance(state, end - state.position, expect);
}

function fail(state: ScanState, reason: string): JsonSyntaxErrorLocation {
  return locate(state.text, state.position, reason);
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i += 1;
  return i;
}

function scanScalar(text: string, i: number): number | JsonSyntaxErrorLocation {
  if (text[i] === '"') return scanString(text, i);
  const literal = literals.find((word) => text.startsWith(word, i));
  if (literal !== undefined) return i + literal.length;
  numberPattern.lastIndex = i;
  if (numberPattern.test(text)) return numberPattern.lastIndex;
  return locate(text, i, `expected a value, found ${shown(text[i] ?? '')}`);
}

function scanString(text: string, start: number): number | JsonSyntaxErrorLocation {
  for (let i = start + 1; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return locate(text, i, 'a control character inside a string must be escaped');
    if (c !== 0x5c) continue;
    const escaped = text[i + 1] ?? '';
    if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 5;
    else if ('"\\/bfnrt'.includes(escaped) && escaped !== '') i += 1;
    else return locate(text, i, 'invalid escape sequence in a string');
  }
  return locate(text, text.length, 'a string is not closed');
}

function shown(character: string): string {
  return JSON.stringify(character);
}

function locate(text: string, position: number, reason: string): JsonSyntaxErrorLocation {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { position, line, column, reason };
}
