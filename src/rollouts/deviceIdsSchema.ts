import { z } from 'zod';
import { deviceIdPattern } from '../core/deviceIdCondition';
import { DeviceIdCollector, maxRolloutDeviceIds } from './deviceIdList';

/**
 * Inline device ids: checked and de-duplicated in one loop rather than one zod check per element,
 * so a million ids parse quickly and a million bad ones yield a few field errors and one summary.
 */
export const deviceIdsSchema = z
  .unknown()
  .transform((value, context): string[] => {
    const problem = listProblem(value);
    if (problem !== undefined) {
      context.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    const collector = new DeviceIdCollector();
    (value as unknown[]).forEach((deviceId, index) => collector.add(deviceId, index));
    for (const { position, message } of collector.problems) {
      context.addIssue({ code: 'custom', path: [position], message });
    }
    const summary = collector.unlistedSummary('device ids');
    if (summary !== undefined) context.addIssue({ code: 'custom', message: summary });
    return collector.deviceIds;
  })
  .meta({
    type: 'array',
    items: { type: 'string', pattern: deviceIdPattern.source },
    minItems: 1,
    maxItems: maxRolloutDeviceIds,
    description: `Up to ${maxRolloutDeviceIds} target device ids; repeats are dropped (the first kept). Ids with a quote (') are refused.`,
  });

function listProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'must be an array of device ids';
  if (value.length === 0) return 'must hold at least one device id';
  if (value.length > maxRolloutDeviceIds) {
    return `holds ${value.length} device ids, over the limit of ${maxRolloutDeviceIds}: split them into several rollouts`;
  }
  return undefined;
}
