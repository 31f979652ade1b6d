import type { z } from 'zod';
import type { FieldError } from './errors';

type Issue = z.core.$ZodIssue;

/** Friendlier wording for zod's defaults, passed to `safeParse` (schema-level messages win). */
export const parseErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_type') return `must be ${article(issue.expected)} ${issue.expected}`;
  return undefined;
};

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/**
 * One `FieldError` per problem, `field` the dotted path (`deviceIds.3`,
 * `updateTwin.properties.desired.a b`); problems with the value as a whole are named `root`.
 */
export function fieldErrorsFromZod(issues: readonly Issue[], root: string): FieldError[] {
  return issues.flatMap((issue) => fieldErrorsOf(issue, root));
}

function fieldErrorsOf(issue: Issue, root: string): FieldError[] {
  const field = (path: readonly PropertyKey[]): string =>
    path.length === 0 ? root : path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: field([...issue.path, key]),
      message: 'is not a known field',
    }));
  }
  if (issue.code === 'invalid_key') {
    return issue.issues.map((inner) => ({
      field: field(issue.path),
      message: `property name ${inner.message}`,
    }));
  }
  return [{ field: field(issue.path), message: issue.message }];
}
