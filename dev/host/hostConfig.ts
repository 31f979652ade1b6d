import { localHostDeclarations } from '../../src/settings/localHostSettings';
import { readDeclared } from '../../src/settings/readDeclared';
import type { SettingValues } from './hostSettings';

/** The local-only settings of the host (declared in src/settings/localHostSettings.ts). */
export interface HostConfig {
  port: number;
  queuePollMinMs: number;
  queuePollMaxMs: number;
  checkFunctionKeys: boolean;
  /** Set when `checkFunctionKeys` is on. */
  functionKey?: string;
}

/** Reads the declared local-host settings; throws naming every bad one. */
export function readHostConfig(settings: SettingValues): HostConfig {
  const problems: string[] = [];
  const values = readDeclared(settings, localHostDeclarations, problems);
  if (values !== undefined) {
    if (values.QUEUE_POLL_MAX_MS < values.QUEUE_POLL_MIN_MS) {
      problems.push('QUEUE_POLL_MAX_MS must not be less than QUEUE_POLL_MIN_MS');
    }
    if (values.HOST_CHECK_FUNCTION_KEYS && values.HOST_FUNCTION_KEY === undefined) {
      problems.push('HOST_FUNCTION_KEY is required when HOST_CHECK_FUNCTION_KEYS is true');
    }
  }
  if (values === undefined || problems.length > 0) throw new Error(problems.join('; '));
  const functionKey = values.HOST_CHECK_FUNCTION_KEYS ? values.HOST_FUNCTION_KEY : undefined;
  return {
    port: values.HOST_PORT,
    queuePollMinMs: values.QUEUE_POLL_MIN_MS,
    queuePollMaxMs: values.QUEUE_POLL_MAX_MS,
    checkFunctionKeys: values.HOST_CHECK_FUNCTION_KEYS,
    ...(functionKey === undefined ? {} : { functionKey }),
  };
}
