import { z } from 'zod';

/** Job ids are also IoT Hub job ids, and travel in queue messages and table keys. */
export const jobIdPattern = /^[A-Za-z0-9-]{1,64}$/;

export const jobIdSchema = z
  .string()
  .regex(jobIdPattern, { error: 'must be 1 to 64 US-ASCII letters, digits or dashes' })
  .meta({ description: 'The job id, also the IoT Hub job id.', examples: ['reboot-floor-3'] });
