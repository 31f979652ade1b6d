/** Messages on the `job-requests` queue (SPEC §4); more kinds come with rollouts. */
export type WorkMessage = { schemaVersion: 1; kind: 'submitJob'; jobId: string };

export interface WorkQueue {
  send(message: WorkMessage, options?: { delaySeconds?: number }): Promise<void>;
}

/** Where malformed queue messages go: moved unchanged, their errors recorded by message id. */
export interface PoisonSink {
  reject(messageId: string, rawMessage: string, errors: string[]): Promise<void>;
}
