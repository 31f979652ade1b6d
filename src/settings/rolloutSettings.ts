import type { DeclaredFields, ReadDeclaration } from './declaration';
import { fieldsOf, readDeclared } from './readDeclared';
import { fractionSetting, integerSetting, patternSetting } from './settingSchemas';
import type { Env } from './settingValue';

/** 1,000,000 device ids of up to 60 characters, as JSON or one per line. */
const sixtyFourMiB = String(64 * 1024 * 1024);

/** How rollouts are taken in and paced (docs/rollouts.md), each one `Settings` field. */
export const rolloutDeclarations = [
  {
    name: 'MAX_ROLLOUT_REQUEST_BYTES',
    class: 'app',
    field: 'maxRolloutRequestBytes',
    default: sixtyFourMiB,
    schema: integerSetting(1, 104_857_600),
    doc: 'Largest rollout body accepted, in bytes (the Functions host caps any request at 100 MB).',
  },
  {
    name: 'MAX_TARGET_BLOB_BYTES',
    class: 'app',
    field: 'maxTargetBlobBytes',
    default: sixtyFourMiB,
    schema: integerSetting(1, 1_073_741_824),
    doc: 'Largest producer blob of device ids (`targets.deviceIdsBlob`) a rollout reads; a larger one is refused without being downloaded.',
  },
  {
    name: 'DEPLOYMENT_CONTAINER',
    class: 'app',
    field: 'deploymentContainer',
    schema: patternSetting(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'be a blob container name'),
    doc: "The app's deployment container, which a rollout's `deviceIdsBlob` may never name (the Functions host's `azure-webjobs-*` containers never either).",
  },
  {
    name: 'ROLLOUT_RESOLVE_PAGES_PER_STEP',
    class: 'app',
    field: 'rolloutResolvePagesPerStep',
    default: '10',
    schema: integerSetting(1, 1000),
    doc: 'Pages of device ids (100 each) one step resolves from a condition target with sized waves before it queues the next step.',
  },
  {
    name: 'ROLLOUT_RESOLVE_QUERY_SHARE',
    class: 'app',
    field: 'rolloutResolveQueryShare',
    default: '0.25',
    schema: fractionSetting,
    doc: "Share of hubjobs' query budget that resolving condition targets to ids may use (0 to 1); resolving steps are spaced to stay within it.",
  },
  {
    name: 'ROLLOUT_CHUNK_END_WAIT_MS',
    class: 'app',
    field: 'rolloutChunkEndWaitMs',
    default: '15000',
    schema: integerSetting(0, 300_000),
    doc: 'How long a rollout step waits in process for a chunk about to end, so the next chunk starts at once rather than a queue round trip later.',
  },
  {
    name: 'ROLLOUT_CHUNK_END_CHECK_MS',
    class: 'app',
    field: 'rolloutChunkEndCheckMs',
    default: '1000',
    schema: integerSetting(10, 60_000),
    doc: 'The pause between the hub checks of a chunk that should have ended (each check is one jobs operation).',
  },
  {
    name: 'ROLLOUT_VERIFY_INTERVAL_SECONDS',
    class: 'app',
    field: 'rolloutVerifyIntervalSeconds',
    default: '30',
    schema: integerSetting(1, 3600),
    doc: "Seconds between a verified twin rollout's rounds of reported-property queries for a chunk (each round costs about one query per chunk while few devices are still different).",
  },
] as const satisfies readonly ReadDeclaration[];

export type RolloutSettings = DeclaredFields<typeof rolloutDeclarations>;

export function readRolloutSettings(env: Env, problems: string[]): RolloutSettings | undefined {
  const values = readDeclared(env, rolloutDeclarations, problems);
  return values === undefined ? undefined : fieldsOf(rolloutDeclarations, values);
}
