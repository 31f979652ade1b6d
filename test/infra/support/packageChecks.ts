import * as path from 'node:path';

export interface PackageJson {
  main?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface TsConfig {
  extends?: string;
  include?: string[];
  compilerOptions?: { rootDir?: string; outDir?: string; noEmit?: boolean };
}

/** Where `tsc -p` puts the JavaScript of a source file, by the config's rootDir and outDir. */
export function emittedPath(config: TsConfig, source: string): string | undefined {
  const { rootDir, outDir } = config.compilerOptions ?? {};
  if (rootDir === undefined || outDir === undefined) return undefined;
  const relative = path.posix.relative(rootDir, source).replace(/\.ts$/, '.js');
  return path.posix.normalize(path.posix.join(outDir, relative));
}

/** A config with what it extends merged in (one level, as tsconfig.build.json does). */
export function mergedConfig(config: TsConfig, base: TsConfig): TsConfig {
  return {
    ...base,
    ...config,
    compilerOptions: { ...base.compilerOptions, ...config.compilerOptions },
  };
}

/** `npm run build` compiles the build config, which emits `main` from src/index.ts and only src/. */
export function buildProblems(pkg: PackageJson, build: TsConfig): string[] {
  const problems: string[] = [];
  if (!/\btsc -p tsconfig\.build\.json\b/.test(pkg.scripts?.build ?? '')) {
    problems.push('npm run build does not compile tsconfig.build.json');
  }
  if (build.compilerOptions?.noEmit !== false) problems.push('tsconfig.build.json does not emit');
  if (JSON.stringify(build.include) !== JSON.stringify(['src'])) {
    problems.push(`tsconfig.build.json compiles ${JSON.stringify(build.include)}, not only src`);
  }
  const emitted = emittedPath(build, 'src/index.ts');
  if (pkg.main !== emitted)
    problems.push(`main is ${pkg.main}, but src/index.ts is built to ${emitted}`);
  return problems;
}

/** The packages a source file loads at run time (type-only imports are erased), by name. */
export function runtimeImports(text: string): string[] {
  const specifiers = [
    ...[...text.matchAll(/^\s*import\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)].map(
      (m) => m[1],
    ),
    ...[...text.matchAll(/\brequire\('([^']+)'\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*export\s+(?!type\s)[^'";]*?\sfrom\s+'([^']+)'/gm)].map((m) => m[1]),
  ];
  return specifiers
    .filter((s): s is string => s !== undefined && !s.startsWith('.') && !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s)));
}

/** The deployed app prunes dev dependencies: whatever src/ loads must be a production one. */
export function dependencyProblems(
  sources: readonly [string, string][],
  pkg: PackageJson,
): string[] {
  const production = new Set(Object.keys(pkg.dependencies ?? {}));
  return sources.flatMap(([file, text]) =>
    runtimeImports(text)
      .filter((name) => !production.has(name))
      .map((name) => `${file} loads ${name}, which is not a production dependency`),
  );
}
