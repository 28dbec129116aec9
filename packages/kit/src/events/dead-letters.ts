import type pg from "pg";
import { errors } from "../errors/domain-error.ts";
import { decodeEnvelope, type EventEnvelope } from "./envelope.ts";

/** NOTIFY channel telling consumer processes a dead letter was queued for redrive. */
export const DEAD_LETTER_CHANNEL = "kit_dead_letters";

/** An event whose handler kept failing, kept with its last error. */
export interface DeadLetter {
  id: number;
  group: string;
  eventId: string;
  type: string;
  subject: string;
  error: string;
  attempts: number;
  /** "dead", or "redrive" while waiting for the consumer to handle it again. */
  status: "dead" | "redrive";
  createdAt: Date;
  updatedAt: Date;
  envelope: EventEnvelope;
}

interface Row {
  id: number;
  group_name: string;
  event_id: string;
  type: string;
  subject: string;
  error: string;
  attempts: number;
  status: "dead" | "redrive";
  created_at: Date;
  updated_at: Date;
  envelope: Buffer;
}

const toDeadLetter = (r: Row): DeadLetter => ({
  id: r.id,
  group: r.group_name,
  eventId: r.event_id,
  type: r.type,
  subject: r.subject,
  error: r.error,
  attempts: r.attempts,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  envelope: decodeEnvelope(r.envelope),
});

export interface ListDeadLettersOptions {
  group?: string;
  /** 1 to 100; default 20. */
  limit?: number;
  /** Only ids greater than this (the last id of the previous page). */
  afterId?: number;
}

/** Operator access to a service's dead letters (used by the CLI and the gRPC admin service). */
export interface DeadLetterStore {
  list(options?: ListDeadLettersOptions): Promise<{ items: DeadLetter[]; nextAfterId: number | undefined }>;
  get(id: number): Promise<DeadLetter | undefined>;
  /** Queues a dead letter to be handled again by its group; throws not-found for an unknown id. */
  redrive(id: number): Promise<DeadLetter>;
}

export function createDeadLetterStore(pool: pg.Pool): DeadLetterStore {
  return {
    async list(options = {}) {
      const limit = options.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        throw errors.invalid("limit must be between 1 and 100", [
          { field: "limit", message: "must be between 1 and 100" },
        ]);
      }
      const { rows } = await pool.query<Row>(
        `SELECT * FROM kit_dead_letters
          WHERE ($1::text IS NULL OR group_name = $1) AND id > $2
          ORDER BY id LIMIT $3`,
        [options.group ?? null, options.afterId ?? 0, limit + 1],
      );
      const items = rows.slice(0, limit).map(toDeadLetter);
      return { items, nextAfterId: rows.length > limit ? items.at(-1)?.id : undefined };
    },
    async get(id) {
      const { rows } = await pool.query<Row>("SELECT * FROM kit_dead_letters WHERE id = $1", [id]);
      return rows[0] ? toDeadLetter(rows[0]) : undefined;
    },
    async redrive(id) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const { rows } = await client.query<Row>(
          "UPDATE kit_dead_letters SET status = 'redrive', updated_at = now() WHERE id = $1 RETURNING *",
          [id],
        );
        await client.query("SELECT pg_notify($1, '')", [DEAD_LETTER_CHANNEL]);
        await client.query("COMMIT");
        if (!rows[0]) throw errors.notFound(`dead letter ${id}`);
        return toDeadLetter(rows[0]);
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
