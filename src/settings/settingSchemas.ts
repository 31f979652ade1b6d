import { z } from 'zod';
import { isHttpUrl, shown } from './settingValue';

// Each schema parses a setting's trimmed, non-blank text; an issue's message follows the
// setting's name ("HUB_UNITS must be ..."). Only schemas of non-secret settings echo the value.

/** A whole number within bounds. */
export function integerSetting(min: number, max: number) {
  return z.string().transform((raw, context) => {
    const value = Number(raw);
    if (/^\d+$/.test(raw) && value >= min && value <= max) return value;
    context.addIssue({
      code: 'custom',
      message: `must be an integer from ${min} to ${max} (got ${shown(raw)})`,
    });
    return z.NEVER;
  });
}

/** A decimal number greater than 0 and at most 1. */
export const fractionSetting = z.string().transform((raw, context) => {
  const value = Number(raw);
  if (/^\d*\.?\d+$/.test(raw) && value > 0 && value <= 1) return value;
  context.addIssue({
    code: 'custom',
    message: `must be a number greater than 0 and at most 1 (got ${shown(raw)})`,
  });
  return z.NEVER;
});

/** `true` or `false`, in any case. */
export const booleanSetting = z.string().transform((raw, context) => {
  const value = raw.toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  context.addIssue({ code: 'custom', message: `must be true or false (got ${shown(raw)})` });
  return z.NEVER;
});

/** One of a fixed list of words. */
export function oneOfSetting<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => `must be one of ${values.join(', ')} (got ${shown(String(issue.input))})`,
  });
}

/** Text matching a pattern; `requirement` completes "NAME must …". */
export function patternSetting(pattern: RegExp, requirement: string) {
  return z.string().regex(pattern, {
    error: (issue) => `must ${requirement} (got ${shown(String(issue.input))})`,
  });
}

/** Any text; used for ids, paths and keys the app passes on unchecked. */
export const textSetting = z.string();

/** An http or https URL. */
export const httpUrlSetting = z.string().refine(isHttpUrl, {
  error: (issue) => `must be an http(s) URL (got ${shown(String(issue.input))})`,
});
