import type { DeclaredFields, DeclaredValues, ReadDeclaration } from './declaration';
import { readSetting, type Env } from './settingValue';

/**
 * Parses each declared setting (its default when unset or blank), adding one problem per bad
 * value, each starting with the setting's name. Returns the values only when all were good.
 */
export function readDeclared<const Ds extends readonly ReadDeclaration[]>(
  env: Env,
  declarations: Ds,
  problems: string[],
): DeclaredValues<Ds> | undefined {
  const problemsBefore = problems.length;
  const values: Record<string, unknown> = {};
  for (const declaration of declarations) {
    const raw = readSetting(env, declaration.name) ?? declaration.default;
    if (raw === undefined) continue;
    const parsed = declaration.schema.safeParse(raw);
    if (parsed.success) values[declaration.name] = parsed.data;
    else
      problems.push(...parsed.error.issues.map((issue) => `${declaration.name} ${issue.message}`));
  }
  // Every declared name was visited above, so the record is complete when nothing failed.
  return problems.length === problemsBefore ? (values as DeclaredValues<Ds>) : undefined;
}

/** The values of the declarations that name a `field`, keyed by that field. */
export function fieldsOf<const Ds extends readonly ReadDeclaration[]>(
  declarations: Ds,
  values: DeclaredValues<Ds>,
): DeclaredFields<Ds> {
  const byName = values as Record<string, unknown>;
  const entries = declarations.flatMap((declaration) =>
    declaration.field === undefined ? [] : [[declaration.field, byName[declaration.name]]],
  );
  return Object.fromEntries(entries) as DeclaredFields<Ds>;
}
