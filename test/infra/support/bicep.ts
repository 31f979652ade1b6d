import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Parser from 'tree-sitter';
import bicep from 'tree-sitter-bicep';

export type SyntaxNode = Parser.SyntaxNode;

/** One Bicep file: where it is (relative to its folder) and its text. */
export interface BicepFile {
  readonly file: string;
  readonly text: string;
}

const parser = new Parser();
// The grammar's own typings describe its node types, not the Language the binding expects.
parser.setLanguage(bicep as unknown as Parameters<Parser['setLanguage']>[0]);

export const infraDir = path.join(__dirname, '../../../infra');

export function parseBicep(text: string): SyntaxNode {
  return parser.parse(text).rootNode;
}

/** Every `.bicep` file under a folder, paths relative to it. */
export function bicepFilesUnder(dir: string): BicepFile[] {
  return filesUnder(dir)
    .filter((file) => file.endsWith('.bicep'))
    .map((file) => ({ file, text: readFileSync(path.join(dir, file), 'utf8') }));
}

/** Every file under a folder, relative paths with `/`, sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .sort();
}

/** Each ERROR node and each node the parser had to invent (MISSING), with its position. */
export function syntaxProblems(text: string): string[] {
  const problems: string[] = [];
  const visit = (node: SyntaxNode): void => {
    const at = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
    if (node.type === 'ERROR') problems.push(`ERROR at ${at}: ${node.text.slice(0, 40)}`);
    else if (node.isMissing) problems.push(`MISSING ${node.type} at ${at}`);
    for (const child of node.children) visit(child);
  };
  visit(parseBicep(text));
  return problems;
}

/** A string literal's text without quotes; undefined for an interpolated string. */
export function stringValue(node: SyntaxNode | null | undefined): string | undefined {
  if (node?.type !== 'string') return undefined;
  if (node.namedChildren.some((child) => child.type === 'interpolation')) return undefined;
  return node.namedChildren.map((child) => child.text).join('');
}

/** A declaration's body: the object after `=`, also behind `if (…)`. */
function bodyOf(declaration: SyntaxNode): SyntaxNode | undefined {
  const last = declaration.namedChildren.at(-1);
  if (last?.type === 'object') return last;
  return last?.namedChildren.find((child) => child.type === 'object');
}

/** The value of `key:` in an object, when there is one. */
export function propertyOf(object: SyntaxNode | undefined, key: string): SyntaxNode | undefined {
  const property = object?.namedChildren.find(
    (child) => child.type === 'object_property' && child.namedChildren[0]?.text === key,
  );
  return property?.namedChildren[1];
}

export interface ResourceDeclaration {
  readonly symbol: string;
  /** The resource type without its API version, e.g. `Microsoft.Storage/storageAccounts`. */
  readonly type: string;
  readonly body: SyntaxNode | undefined;
}

export function resourcesOf(root: SyntaxNode): ResourceDeclaration[] {
  return root.namedChildren
    .filter((node) => node.type === 'resource_declaration')
    .map((node) => ({
      symbol: node.namedChildren[0]?.text ?? '',
      type: (stringValue(node.namedChildren[1]) ?? '').split('@')[0] ?? '',
      body: bodyOf(node),
    }));
}

export interface ModuleDeclaration {
  readonly symbol: string;
  readonly source: string;
  readonly body: SyntaxNode | undefined;
}

export function modulesOf(root: SyntaxNode): ModuleDeclaration[] {
  return root.namedChildren
    .filter((node) => node.type === 'module_declaration')
    .map((node) => ({
      symbol: node.namedChildren[0]?.text ?? '',
      source: stringValue(node.namedChildren[1]) ?? '',
      body: bodyOf(node),
    }));
}

export interface ParameterDeclaration {
  readonly name: string;
  readonly hasDefault: boolean;
}

export function parametersOf(root: SyntaxNode): ParameterDeclaration[] {
  return root.namedChildren
    .filter((node) => node.type === 'parameter_declaration')
    .map((node) => ({
      name: node.namedChildren[0]?.text ?? '',
      // `param name type` has two named children; a default adds a third.
      hasDefault: node.namedChildren.length > 2,
    }));
}

/** The value of `var name = …`. */
export function variableOf(root: SyntaxNode, name: string): SyntaxNode | undefined {
  const declaration = root.namedChildren.find(
    (node) => node.type === 'variable_declaration' && node.namedChildren[0]?.text === name,
  );
  return declaration?.namedChildren[1];
}

/** The keys of an object literal. */
export function keysOf(object: SyntaxNode | undefined): string[] {
  return (object?.namedChildren ?? [])
    .filter((child) => child.type === 'object_property')
    .map((child) => child.namedChildren[0]?.text ?? '');
}

/** The same text with one top-level resource declaration cut out (for negative fixtures). */
export function withoutResource(text: string, symbol: string): string {
  const node = parseBicep(text).namedChildren.find(
    (child) => child.type === 'resource_declaration' && child.namedChildren[0]?.text === symbol,
  );
  if (node === undefined) throw new Error(`no resource ${symbol} to remove`);
  return text.slice(0, node.startIndex) + text.slice(node.endIndex);
}

/** The value at a dotted path of object keys, e.g. `properties.functionAppConfig.runtime`. */
export function propertyAt(object: SyntaxNode | undefined, dotted: string): SyntaxNode | undefined {
  return dotted
    .split('.')
    .reduce<SyntaxNode | undefined>((node, key) => propertyOf(node, key), object);
}

/** The first argument of each call to `load*Content(…)`, e.g. `loadJsonContent('../x.json')`. */
export function loadedFiles(root: SyntaxNode): string[] {
  return root
    .descendantsOfType('call_expression')
    .filter((call) => /^load\w*Content$/.test(call.childForFieldName('function')?.text ?? ''))
    .map((call) => stringValue(call.childForFieldName('arguments')?.namedChildren[0]) ?? '');
}
