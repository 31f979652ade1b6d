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

/**
 * Finds the first syntax error in `text` (RFC 8259), or undefined when it is valid JSON. Iterative,
 * so deeply nested input cannot overflow the stack.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxErrorLocation | undefined {
  const containers: string[] = [];
  let expect: Expectation = 'value';
  let i = 0;
  const fail = (position: number, reason: string): JsonSyntaxErrorLocation =>
    locate(text, position, reason);
  const afterValue = (): Expectation => (containers.length === 0 ? 'end' : 'commaOrClose');
  for (;;) {
    i = skipWhitespace(text, i);
    const c = text[i];
    if (expect === 'end')
      return c === undefined ? undefined : fail(i, `unexpected ${shown(c)} after the JSON value`);
    if (c === undefined) return fail(i, 'the input ends too early');
    if (expect === 'colon') {
      if (c !== ':') return fail(i, `expected ':' after a property name, found ${shown(c)}`);
      i += 1;
      expect = 'value';
    } else if (expect === 'commaOrClose') {
      const open = containers[containers.length - 1];
      const close = open === '{' ? '}' : ']';
      if (c !== ',' && c !== close) return fail(i, `expected ',' or '${close}', found ${shown(c)}`);
      i += 1;
      if (c === ',') expect = open === '{' ? 'key' : 'value';
      else {
        containers.pop();
        expect = afterValue();
      }
    } else if ((expect === 'keyOrClose' && c === '}') || (expect === 'valueOrClose' && c === ']')) {
      containers.pop();
      i += 1;
      expect = afterValue();
    } else if (expect === 'key' || expect === 'keyOrClose') {
      if (c !== '"') return fail(i, `expected a property name in double quotes, found ${shown(c)}`);
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      expect = 'colon';
    } else if (c === '{' || c === '[') {
      containers.push(c);
      i += 1;
      expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
    } else {
      const end = scanScalar(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      expect = afterValue();
    }
  }
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
