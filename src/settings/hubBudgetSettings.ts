import type { DeclaredFields, ReadDeclaration } from './declaration';
import { fieldsOf, readDeclared } from './readDeclared';
import { fractionSetting, integerSetting } from './settingSchemas';
import type { Env } from './settingValue';

/** hubjobs' own budget of the hub's quotas (docs/hub-budget.md), each one `Settings` field. */
export const hubBudgetDeclarations = [
  {
    name: 'HUB_QUOTA_SHARE',
    class: 'app',
    field: 'hubQuotaShare',
    default: '0.8',
    schema: fractionSetting,
    doc: "Share of each of the hub's quotas hubjobs may spend (0 to 1); the rest is left to other tools on the same hub.",
  },
  {
    name: 'HUB_BUDGET_WINDOW_SECONDS',
    class: 'app',
    field: 'hubBudgetWindowSeconds',
    default: '5',
    schema: integerSetting(1, 60),
    doc: "Length of the hub budget's accounting windows; in any 60 seconds hubjobs grants itself at most its share of a quota.",
  },
  {
    name: 'HUB_BUDGET_CLAIM_SIZE',
    class: 'app',
    field: 'hubBudgetClaimSize',
    default: '5',
    schema: integerSetting(1, 1000),
    doc: "How many calls' worth of a quota an instance claims from the shared budget at once; what it has not spent lapses when the window ends.",
  },
  {
    name: 'HUB_BUDGET_RETRY_MS',
    class: 'app',
    field: 'hubBudgetRetryMs',
    default: '50',
    schema: integerSetting(1, 10_000),
    doc: "How long a wait for the hub budget pauses before claiming again when other instances kept changing the shared budget's row.",
  },
  {
    name: 'HUB_BUDGET_WAIT_MS',
    class: 'app',
    field: 'hubBudgetWaitMs',
    default: '1000',
    schema: integerSetting(0, 60_000),
    doc: 'How long a create or a cancel waits for the hub budget before it is deferred (202); the poller never waits.',
  },
] as const satisfies readonly ReadDeclaration[];

export type HubBudgetSettings = DeclaredFields<typeof hubBudgetDeclarations>;

export function readHubBudgetSettings(env: Env, problems: string[]): HubBudgetSettings | undefined {
  const values = readDeclared(env, hubBudgetDeclarations, problems);
  return values === undefined ? undefined : fieldsOf(hubBudgetDeclarations, values);
}
