/** The first response to an idempotent request, replayed for retries. */
export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What a key currently holds. */
export type IdempotencyRecord =
  | { state: "in_flight"; fingerprint: string }
  | { state: "done"; fingerprint: string; response: StoredResponse };

/** Keys with a TTL: memory by default, Redis when configured so replicas agree. */
export interface IdempotencyStore {
  /** Claims the key for a new request; returns the existing record when it is already taken. */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyRecord | null>;
  complete(key: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void>;
  /** Forgets a claim whose request failed in a way worth retrying (5xx). */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}
