/**
 * A `.funcignore` (gitignore syntax, the parts it uses): `#` comments, `!` negation, a leading
 * `/` or an inner `/` anchors a pattern at the root, a trailing `/` matches folders only, `*`
 * matches within one path segment. A path is ignored when it or a folder above it matches.
 */
export function ignoreMatcher(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(ruleOf);
  return (file) => {
    const segments = file.split('/');
    const prefixes = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
    let ignored = false;
    for (const rule of rules) {
      const hit = prefixes.some((prefix, index) => {
        const isFolder = index < segments.length - 1;
        return (isFolder || !rule.foldersOnly) && rule.matches(prefix);
      });
      if (hit) ignored = !rule.negated;
    }
    return ignored;
  };
}

function ruleOf(line: string): {
  negated: boolean;
  foldersOnly: boolean;
  matches: (path: string) => boolean;
} {
  const negated = line.startsWith('!');
  let pattern = negated ? line.slice(1) : line;
  const foldersOnly = pattern.endsWith('/');
  if (foldersOnly) pattern = pattern.slice(0, -1);
  const anchored = pattern.includes('/');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  const regex = new RegExp(anchored ? `^${source}$` : `(^|/)${source}$`);
  return { negated, foldersOnly, matches: (path) => regex.test(path) };
}
