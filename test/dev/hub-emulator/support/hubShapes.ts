/** The JSON shapes tests read from SDK results (the SDK types them loosely or as any). */
export interface DeviceJobStatistics {
  deviceCount: number;
  failedCount: number;
  succeededCount: number;
  runningCount: number;
  pendingCount: number;
}

export interface HubJob {
  jobId: string;
  type: string;
  status: string;
  failureReason?: string;
  deviceJobStatistics: DeviceJobStatistics;
}

export interface DeviceJobRecord {
  deviceId: string;
  jobId: string;
  jobType: string;
  status: string;
  outcome?: { deviceMethodResponse: { status: number; payload: Record<string, unknown> } | null };
  error?: { code: string; description: string };
}

export function startedCount(stats: DeviceJobStatistics): number {
  return stats.succeededCount + stats.failedCount + stats.runningCount;
}
