import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { getServices, type Services } from '../composition';
import type { RolloutDeps } from '../rollouts/rolloutDeps';
import { describeError } from '../core/logger';
import { toProblem } from '../http/problem';
import { invocationLogger } from './invocationLogger';

export interface HttpInvocation {
  request: HttpRequest;
  context: InvocationContext;
  services: Services;
  /** The use cases' ports with a logger bound to this invocation. */
  deps: RolloutDeps;
}

/**
 * The HTTP edge every handler goes through: services resolved, and any throw turned into
 * problem+json (unexpected ones logged, without secrets), so no input can escape as a bare 500.
 */
export function httpHandler(
  run: (invocation: HttpInvocation) => Promise<HttpResponseInit>,
): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  return async (request, context) => {
    try {
      const services = getServices();
      const deps = { ...services.deps, logger: invocationLogger(context) };
      return await run({ request, context, services, deps });
    } catch (error) {
      const problem = toProblem(error);
      if (problem.status >= 500) {
        context.error(
          `${request.method} ${new URL(request.url).pathname} failed: ${describeError(error)}`,
        );
      }
      return problem;
    }
  };
}
