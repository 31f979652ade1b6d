/**
 * Function route templates as the Functions host reads them (ASP.NET Core routing, the subset
 * functions use): literal segments (case-insensitive), `{name}`, `{name?}` (trailing only),
 * `{name:int|long|bool|guid|alpha}` and a trailing catch-all `{*rest}`.
 */
export interface RouteTemplate {
  readonly template: string;
  /** Lower sorts first: literals beat constrained parameters beat parameters beat catch-alls. */
  readonly rank: readonly number[];
  match(segments: readonly string[]): Record<string, string> | undefined;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'parameter'; name: string; optional: boolean; constraint?: Constraint }
  | { kind: 'catchAll'; name: string };

type Constraint = 'int' | 'long' | 'bool' | 'guid' | 'alpha';

const constraintPatterns: Record<Constraint, RegExp> = {
  int: /^-?\d{1,10}$/,
  long: /^-?\d{1,19}$/,
  bool: /^(true|false)$/i,
  guid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  alpha: /^[A-Za-z]+$/,
};

const parameterPattern = /^\{(\*?)([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?(\?)?\}$/;

export function parseRouteTemplate(template: string): RouteTemplate {
  const segments = splitPath(template).map((text) => parseSegment(text, template));
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    const trailingOnly =
      segment.kind === 'catchAll' || (segment.kind !== 'literal' && segment.optional);
    if (trailingOnly && !last) {
      throw new Error(`route '${template}': only the last segment may be optional or catch-all`);
    }
  });
  return {
    template,
    rank: segments.map(rankOf),
    match: (pathSegments) => matchSegments(segments, pathSegments),
  };
}

/** Splits a path into segments, ignoring leading and trailing slashes. */
export function splitPath(pathText: string): string[] {
  const trimmed = pathText.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function parseSegment(text: string, template: string): Segment {
  if (!text.includes('{') && !text.includes('}'))
    return { kind: 'literal', text: text.toLowerCase() };
  const match = parameterPattern.exec(text);
  if (!match) throw new Error(`route '${template}': unsupported segment '${text}'`);
  const [, star, name = '', constraint, optional] = match;
  if (star) return { kind: 'catchAll', name };
  if (constraint !== undefined && !(constraint in constraintPatterns)) {
    throw new Error(`route '${template}': unsupported constraint '${constraint}'`);
  }
  return {
    kind: 'parameter',
    name,
    optional: optional === '?',
    ...(constraint === undefined ? {} : { constraint: constraint as Constraint }),
  };
}

function rankOf(segment: Segment): number {
  if (segment.kind === 'literal') return 0;
  if (segment.kind === 'catchAll') return 4;
  if (segment.optional) return 3;
  return segment.constraint === undefined ? 2 : 1;
}

function matchSegments(
  segments: readonly Segment[],
  pathSegments: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'catchAll') {
      params[segment.name] = pathSegments.slice(index).map(decodeSegment).join('/');
      return params;
    }
    const raw = pathSegments[index];
    if (raw === undefined)
      return segment.kind === 'parameter' && segment.optional ? params : undefined;
    const value = decodeSegment(raw);
    if (segment.kind === 'literal') {
      if (value.toLowerCase() !== segment.text) return undefined;
    } else {
      if (value === '' || !satisfies(segment.constraint, value)) return undefined;
      params[segment.name] = value;
    }
  }
  return pathSegments.length <= segments.length ? params : undefined;
}

function satisfies(constraint: Constraint | undefined, value: string): boolean {
  return constraint === undefined || constraintPatterns[constraint].test(value);
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
