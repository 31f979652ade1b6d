export type HubTier = 'F1' | 'S1' | 'S2' | 'S3';

/** Per-tier limits from the IoT Hub quotas page (docs/iothub.md, Quotas), for one unit. */
export interface TierLimits {
  maxActiveJobs: number;
  jobsOperationsPerMinute: number;
  queriesPerMinute: number;
  deviceOperationsPerSecond: number;
}

export const tierLimits: Record<HubTier, TierLimits> = {
  F1: {
    maxActiveJobs: 1,
    jobsOperationsPerMinute: 100,
    queriesPerMinute: 20,
    deviceOperationsPerSecond: 10,
  },
  S1: {
    maxActiveJobs: 1,
    jobsOperationsPerMinute: 100,
    queriesPerMinute: 20,
    deviceOperationsPerSecond: 10,
  },
  S2: {
    maxActiveJobs: 5,
    jobsOperationsPerMinute: 100,
    queriesPerMinute: 20,
    deviceOperationsPerSecond: 10,
  },
  S3: {
    maxActiveJobs: 10,
    jobsOperationsPerMinute: 5000,
    queriesPerMinute: 1000,
    deviceOperationsPerSecond: 50,
  },
};

/**
 * Everything that shapes an emulated hub. Every limit and every pace can be overridden so that
 * tests run in seconds; a rate of 0 means "unlimited" (no pacing, no throttling).
 */
export interface HubEmulatorOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 0. */
  port?: number;
  /** Host name in the connection string and the SAS `sr`. Default `localhost`. */
  hostName?: string;
  /** Simulated fleet size. Default 0. */
  devices?: number;
  tier?: HubTier;
  /** Seed for the fleet and for per-device outcomes. Default 1. */
  seed?: number;
  /**
   * Seeded devices get `tags.timeZone` round-robin over these values, kept exactly as given (any
   * non-empty text, so a fleet can hold an invalid zone too). Default: no such tag.
   */
  seedTimeZones?: readonly string[];
  /** Folder where the certificate and key are kept and reused across restarts. */
  certDir?: string;
  /** Override any tier limit; 0 disables that limit. */
  limits?: Partial<TierLimits>;
  /** Simulated device behaviour; all shares are 0 by default. */
  methodLatencyMs?: number;
  transientFailureShare?: number;
  permanentFailureShare?: number;
  offlineShare?: number;
  /** Delay before a desired-property patch is echoed into reported properties. Default 0. */
  reportedEchoLatencyMs?: number;
  /** Days a finished job stays queryable. Default 30. */
  jobRetentionDays?: number;
  /** `current` (JSON in Message + iothub-errorcode header) or `legacy` (`ErrorCode:Name;message`). */
  errorFormat?: 'current' | 'legacy';
  /** Job status spelling for cancelled device jobs; the C# SDK spells it `canceled`. */
  deviceCanceledSpelling?: 'canceled' | 'cancelled';
  /** Devices with no MQTT connection: `simulated` (default) answer as before, `offline` do not. */
  unconnectedDevices?: 'simulated' | 'offline';
}
