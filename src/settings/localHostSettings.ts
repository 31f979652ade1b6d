import type { ReadDeclaration } from './declaration';
import { booleanSetting, integerSetting, textSetting } from './settingSchemas';

/** The local Functions host's own settings (dev/host); never set in Azure. */
export const localHostDeclarations = [
  {
    name: 'HOST_PORT',
    class: 'local',
    default: '7071',
    schema: integerSetting(0, 65_535),
    doc: 'Port the local host listens on (0: any free port).',
  },
  {
    name: 'QUEUE_POLL_MIN_MS',
    class: 'local',
    default: '100',
    schema: integerSetting(1, 3_600_000),
    doc: "The local host's first wait after an empty poll of a queue; it doubles on each empty poll.",
  },
  {
    name: 'QUEUE_POLL_MAX_MS',
    class: 'local',
    default: '2000',
    schema: integerSetting(1, 3_600_000),
    doc: "The local host's longest wait between polls of an empty queue; not less than `QUEUE_POLL_MIN_MS`.",
  },
  {
    name: 'HOST_CHECK_FUNCTION_KEYS',
    class: 'local',
    default: 'false',
    schema: booleanSetting,
    doc: 'Whether the local host demands a function key on function-level routes, as Azure does.',
  },
  {
    name: 'HOST_FUNCTION_KEY',
    class: 'local',
    secret: true,
    schema: textSetting,
    doc: 'The function key the local host accepts, required when `HOST_CHECK_FUNCTION_KEYS` is true.',
  },
] as const satisfies readonly ReadDeclaration[];
