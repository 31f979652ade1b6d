/** The last parameter of every storage call: lets a caller give up on a call it no longer needs. */
export interface StorageCallOptions {
  abortSignal?: AbortSignal;
}
