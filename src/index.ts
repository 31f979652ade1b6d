import { app } from '@azure/functions';
import { checkStartup, functionDeclarations } from './functions/declarations';
import type { FunctionDeclaration } from './functions/functionDeclaration';

/** The part of `app` that registration uses. */
export type FunctionRegistrar = Pick<typeof app, 'http' | 'timer' | 'storageQueue'>;

/**
 * Registers each declaration with the Functions runtime, passing its options object unchanged:
 * the local host (dev/host) serves the very same objects.
 */
export function registerFunctions(
  declarations: readonly FunctionDeclaration[],
  registrar: FunctionRegistrar = app,
): void {
  for (const declaration of declarations) {
    switch (declaration.kind) {
      case 'http':
        registrar.http(declaration.name, declaration.options);
        break;
      case 'timer':
        registrar.timer(declaration.name, declaration.options);
        break;
      case 'storageQueue':
        registrar.storageQueue(declaration.name, declaration.options);
        break;
    }
  }
}

registerFunctions(functionDeclarations);
app.hook.appStart(() => checkStartup());
