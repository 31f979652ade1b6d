import { z } from 'zod';

/** Job ids are also IoT Hub job ids, and travel in queue messages and table keys. */
export const jobIdPattern = /^[A-Za-z0-9-]{1,64}$/;

export const jobIdSchema = z
  .string()
  .regex(jobIdPattern, { error: 'must be 1 to 64 US-ASCII letters, digits or dashes' })
  .meta({ description: 'The job id, also the IoT Hub job id.', examples: ['reboot-floor-3'] });

/** 40 characters leave room for `-w<n>-c<n>-a<n>` within the hub's 64-character job ids. */
export const rolloutIdPattern = /^[A-Za-z0-9-]{1,40}$/;

export const rolloutIdSchema = z
  .string()
  .regex(rolloutIdPattern, { error: 'must be 1 to 40 US-ASCII letters, digits or dashes' })
  .meta({
    description: 'The rollout id; its chunk jobs are named after it.',
    examples: ['tariff-b'],
  });
