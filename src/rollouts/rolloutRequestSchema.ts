import { z } from 'zod';
import { ValidationError, type FieldError } from '../core/errors';
import { fieldErrorsFromZod, parseErrorMap } from '../core/fieldErrors';
import { maxJsonDepth, pathBeyondDepth } from '../core/jsonSize';
import { integerFrom, isoInstantSchema } from '../core/operationSchemas';
import { isPlainObject, reservedTwinKeyErrors } from '../core/validateTwinPatch';
import {
  reservedContainerMessage,
  splitBlobReference,
  type ContainerRules,
} from './deviceIdsBlobSchema';
import type {
  FailureThreshold,
  RetrySpec,
  RolloutOperation,
  VerifySpec,
  WavesSpec,
} from './rollout';
import { rolloutOperationSchema } from './rolloutOperationSchema';
import { targetsSchema, type RequestTargets } from './targetsSchema';
import { wavesSchema } from './wavesSchema';
import { failureThresholdSchema } from './failureThresholdSchema';
import { retrySchema } from './retrySchema';
import { verifyProblems } from './verifyClause';
import { verifySchema } from './verifySchema';

export { reservedContainerRule, type ContainerRules } from './deviceIdsBlobSchema';
export { rolloutIdSchema, parseRolloutId, rolloutListQuerySchema } from './rolloutIdSchemas';
export type { RolloutListQuery } from './rolloutIdSchemas';
export type { RequestTargets } from './targetsSchema';

/** The body of `POST /rollouts`, `PUT /rollouts/{rolloutId}` and a queue message's `rollout`. */
export const rolloutRequestSchema = z
  .strictObject(
    {
      operation: rolloutOperationSchema,
      targets: targetsSchema,
      waves: wavesSchema.optional(),
      failureThreshold: failureThresholdSchema.optional(),
      retry: retrySchema.optional(),
      verify: verifySchema.optional(),
      startTime: isoInstantSchema.optional(),
      maxExecutionTimeInSeconds: integerFrom(1, Number.MAX_SAFE_INTEGER, 'a positive integer')
        .default(3600)
        .meta({ description: 'Per hub job (each chunk of the rollout).' }),
      dryRun: z
        .boolean()
        .default(false)
        .meta({ description: 'Answer the count, plan and ETA; store and start nothing.' }),
    },
    { error: (issue) => (isPlainObject(issue.input) ? undefined : 'must be a JSON object') },
  )
  .meta({ title: 'Rollout request' });

/** A validated request: targets tagged and ids de-duplicated, the start time in UTC. */
export interface RolloutRequest {
  operation: RolloutOperation;
  targets: RequestTargets;
  waves?: WavesSpec;
  failureThreshold?: FailureThreshold;
  retry?: RetrySpec;
  verify?: VerifySpec;
  startTime?: string;
  maxExecutionTimeInSeconds: number;
  dryRun: boolean;
}

/**
 * Validates a rollout body; throws `ValidationError` naming each bad field (`targets.deviceIds.7`,
 * `waves.groups.2`, …). A blob reference naming a reserved container is refused here.
 */
export function parseRolloutRequest(body: unknown, rules: ContainerRules): RolloutRequest {
  refuseDeepNesting(body);
  const parsed = rolloutRequestSchema.safeParse(body, { error: parseErrorMap });
  const errors: FieldError[] = [
    ...(parsed.success ? [] : fieldErrorsFromZod(parsed.error.issues, 'body')),
    ...operationTwinKeyErrors(body),
  ];
  if (parsed.success) errors.push(...reservedContainerErrors(parsed.data.targets, rules));
  if (parsed.success && parsed.data.verify !== undefined) {
    errors.push(...verifyProblems(parsed.data.operation));
  }
  if (!parsed.success || errors.length > 0) throw new ValidationError(errors);
  const { startTime, waves, failureThreshold, retry, verify, ...rest } = parsed.data;
  return {
    ...rest,
    ...(waves === undefined ? {} : { waves }),
    ...(failureThreshold === undefined ? {} : { failureThreshold }),
    ...(retry === undefined ? {} : { retry }),
    ...(verify === undefined ? {} : { verify }),
    ...(startTime === undefined ? {} : { startTime: new Date(startTime).toISOString() }),
  };
}

/** Depth is checked without the id list: a million strings are no nesting, only a long walk. */
function refuseDeepNesting(body: unknown): void {
  const path = pathBeyondDepth(withoutDeviceIds(body));
  if (path === undefined) return;
  const field = path.length === 0 ? 'body' : path.slice(0, 3).join('.');
  throw new ValidationError([
    { field, message: `nests objects or arrays deeper than ${maxJsonDepth} levels` },
  ]);
}

function withoutDeviceIds(body: unknown): unknown {
  if (!isPlainObject(body) || !isPlainObject(body.targets)) return body;
  const { deviceIds, ...targets } = body.targets;
  return { ...body, targets: Array.isArray(deviceIds) ? targets : body.targets };
}

function operationTwinKeyErrors(body: unknown): FieldError[] {
  const operation = isPlainObject(body) ? body.operation : undefined;
  return reservedTwinKeyErrors(operation).map((error) => ({
    ...error,
    field: `operation.${error.field}`,
  }));
}

function reservedContainerErrors(targets: RequestTargets, rules: ContainerRules): FieldError[] {
  if (targets.kind !== 'deviceIdsBlob') return [];
  const container = splitBlobReference(targets.deviceIdsBlob)?.container ?? '';
  if (!rules.isReservedContainer(container)) return [];
  return [{ field: 'targets.deviceIdsBlob', message: reservedContainerMessage(container) }];
}
