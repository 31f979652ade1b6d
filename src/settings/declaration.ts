import type { z } from 'zod';

/**
 * Who reads a setting: the app itself, the Functions host, both (the host resolves it in a
 * binding as `%NAME%`, or opens the storage connection with it), or a local run only.
 */
export const settingClasses = ['app', 'host', 'shared', 'local'] as const;
export type SettingClass = (typeof settingClasses)[number];

/** One setting, declared once: what it is called, who reads it, how its value is checked. */
export interface SettingDeclaration {
  readonly name: string;
  readonly class: SettingClass;
  /** One line, shown in the README's settings table. */
  readonly doc: string;
  /** The value used when the setting is unset or blank, written as it would be set. */
  readonly default?: string;
  /** Its value is a secret or may hold one: it is never echoed back. */
  readonly secret?: true;
  /**
   * The form of the value used only locally, and what infra sets in Azure instead, completing
   * "Local only as …" (docs/settings.md). Absent when the setting is set the same way everywhere.
   */
  readonly localOnlyForm?: string;
  /** Parses a set (trimmed, non-blank) value; host settings have none, the app never reads them. */
  readonly schema?: z.ZodType;
  /** The `Settings` field holding the parsed value, when it is one field of its own. */
  readonly field?: string;
}

/** A declaration the app or the local host parses. */
export type ReadDeclaration = SettingDeclaration & { readonly schema: z.ZodType };

/** What a setting parses to; `undefined` when it has no default and is unset. */
export type ValueOf<D extends ReadDeclaration> = D extends { readonly default: string }
  ? z.output<D['schema']>
  : z.output<D['schema']> | undefined;

/** The parsed values of a list of declarations, by setting name. */
export type DeclaredValues<Ds extends readonly ReadDeclaration[]> = {
  [D in Ds[number] as D['name']]: ValueOf<D>;
};

/** The parsed values of the declarations that name a `field`, by field name. */
export type DeclaredFields<Ds extends readonly ReadDeclaration[]> = {
  [D in Ds[number] as D extends { readonly field: infer F extends string } ? F : never]: ValueOf<D>;
};
