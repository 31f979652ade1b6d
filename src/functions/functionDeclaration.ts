import type {
  HttpFunctionOptions,
  StorageQueueFunctionOptions,
  TimerFunctionOptions,
} from '@azure/functions';
import type { HttpApi } from '../http/httpApi';

/**
 * One declaration per function: `src/index.ts` registers it with `@azure/functions`, and the
 * local host (dev/host) serves it from the very same options.
 */
export type FunctionDeclaration =
  | { kind: 'http'; name: string; options: HttpFunctionOptions }
  | { kind: 'timer'; name: string; options: TimerFunctionOptions }
  | { kind: 'storageQueue'; name: string; options: StorageQueueFunctionOptions };

/** An HTTP function of the app: its options (method, route, handler) and what it documents. */
export type ApiFunctionDeclaration = Extract<FunctionDeclaration, { kind: 'http' }> & {
  options: HttpFunctionOptions & { route: string; methods: HttpFunctionOptions['methods'] & {} };
  api: HttpApi;
};
