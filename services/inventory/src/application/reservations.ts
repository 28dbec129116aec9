import { cancelTimer, DomainError, errors, type FieldViolation } from "@toko/kit";
import { sql } from "kysely";
import {
  commitTransition,
  expireTransition,
  normalizeReserve,
  type ReservationStatus,
  type ReserveLine,
  releaseTransition,
  type Transition,
} from "../domain/reservation.ts";
import type {
  Db,
  InventoryEvents,
  ReserveOutcome,
  ReserveStatement,
  ShortLine,
  StockWriter,
  Trx,
} from "./ports.ts";

/** The durable timer kind that expires a held reservation (key = checkout id). */
export const EXPIRY_TIMER = "inventory.reservation-expiry";

/** A reservation as callers see it. */
export interface ReservationView {
  checkoutId: string;
  status: ReservationStatus;
  lines: ReserveLine[];
  allocations: { shopId: string; sku: string; warehouseId: string; quantity: number }[];
  expiresAt: Date;
  createdAt: Date;
}

interface Row {
  checkout_id: string;
  status: ReservationStatus;
  request_key: string;
  expires_at: Date;
  created_at: Date;
}

/** Reserve / Commit / Release / expiry for the checkout saga; every step one transaction. */
export class Reservations {
  constructor(
    private readonly db: Db,
    private readonly stock: StockWriter,
    private readonly events: InventoryEvents,
    private readonly reserveStatement: ReserveStatement,
  ) {}

  /**
   * All-or-nothing hold, idempotent per checkout id (see the proto for the contract): one
   * statement (`infrastructure/pg-reserve.ts`) on the happy path; a retry, a tombstone or a
   * shortage is explained with a second read.
   */
  async reserve(checkoutId: string, lines: readonly ReserveLine[], ttlSeconds: number, actor: string) {
    const request = normalizeReserve(checkoutId, lines, ttlSeconds);
    let outcome: ReserveOutcome;
    try {
      outcome = await this.reserveStatement(checkoutId, request.requestKey, request.lines, ttlSeconds, actor);
    } catch (error) {
      // The levels' CHECK caught what the lock-and-check should already have: still no oversell.
      if (!isCheckViolation(error)) throw error;
      outcome = { kind: "short", lines: [] };
    }
    if (outcome.kind === "held")
      return {
        checkoutId,
        status: "held" as const,
        lines: sumLines(outcome.allocations),
        allocations: outcome.allocations,
        expiresAt: outcome.expiresAt,
        createdAt: outcome.createdAt,
      };
    // A retry of a reservation that already holds the stock sees it short too: replay first.
    const existing = await this.db
      .transaction()
      .execute((trx) => this.replay(trx, checkoutId, request.requestKey));
    if (existing) return existing;
    if (outcome.kind === "exists")
      throw errors.conflict("RESERVATION_CONFLICT", "the reservation changed concurrently; retry");
    throw shortageError(request.lines, outcome.lines);
  }

  /** Deducts a held reservation from on hand; idempotent. */
  commit(checkoutId: string, actor: string): Promise<ReservationView> {
    return this.transition(checkoutId, commitTransition, "commit", actor);
  }

  /** Returns a held reservation to available; idempotent; leaves a tombstone for unknown ids. */
  release(checkoutId: string, actor: string): Promise<ReservationView> {
    return this.transition(checkoutId, releaseTransition, "release", actor);
  }

  /** The timer handler: expires the reservation if it is still held and past its TTL. */
  async expire(trx: Trx, checkoutId: string): Promise<void> {
    const row = await this.lock(trx, checkoutId);
    if (!row) return;
    const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(trx);
    const t = expireTransition(row.status, row.expires_at, rows[0]?.now ?? new Date());
    if (t.kind !== "apply") return;
    const allocations = await this.allocations(trx, checkoutId);
    await this.stock.apply(
      trx,
      allocations.map((a) => ({
        ...a,
        onHandDelta: 0,
        reservedDelta: -a.quantity,
        reason: "release" as const,
        actor: "system:expiry",
        reference: checkoutId,
      })),
    );
    await this.setStatus(trx, checkoutId, "expired");
    await this.events.reservationExpired(trx, checkoutId, row.expires_at, sumLines(allocations));
  }

  /** The reservation of a checkout; NOT_FOUND when there is none. */
  async get(checkoutId: string): Promise<ReservationView> {
    const row = await this.db
      .selectFrom("reservations")
      .selectAll()
      .where("checkout_id", "=", checkoutId)
      .executeTakeFirst();
    if (!row) throw errors.notFound("reservation");
    return this.view(this.db, row as Row);
  }

  private async transition(
    checkoutId: string,
    decide: (s: ReservationStatus) => Transition,
    kind: "commit" | "release",
    actor: string,
  ): Promise<ReservationView> {
    if (!checkoutId.trim())
      throw errors.invalid("checkout_id is required", [{ field: "checkout_id", message: "required" }]);
    return this.db.transaction().execute(async (trx) => {
      let row = await this.lock(trx, checkoutId);
      if (!row) {
        if (kind === "commit") throw errors.notFound("reservation");
        // Release before Reserve (a saga that crashed mid-step): a tombstone makes a late
        // Reserve of this checkout fail instead of holding stock nobody will release.
        const { rows } =
          await sql<Row>`INSERT INTO reservations (checkout_id, status, request_key, expires_at)
          VALUES (${checkoutId}, 'released', '', now()) ON CONFLICT (checkout_id) DO NOTHING
          RETURNING checkout_id, status, request_key, expires_at, created_at`.execute(trx);
        row = rows[0] ?? (await this.lock(trx, checkoutId));
        if (!row) throw errors.notFound("reservation");
        return this.view(trx, row);
      }
      const t = decide(row.status);
      if (t.kind === "reject") throw t.error;
      if (t.kind === "apply") {
        const allocations = await this.allocations(trx, checkoutId);
        await this.stock.apply(
          trx,
          allocations.map((a) => ({
            ...a,
            onHandDelta: kind === "commit" ? -a.quantity : 0,
            reservedDelta: -a.quantity,
            reason: kind,
            actor,
            reference: checkoutId,
          })),
        );
        await this.setStatus(trx, checkoutId, t.next);
        await cancelTimer(trx, EXPIRY_TIMER, checkoutId);
        row = { ...row, status: t.next };
      }
      return this.view(trx, row);
    });
  }

  /** The existing reservation of a checkout for a repeated Reserve; undefined when there is none. */
  private async replay(
    trx: Trx,
    checkoutId: string,
    requestKey: string,
  ): Promise<ReservationView | undefined> {
    const existing = await this.lock(trx, checkoutId);
    if (!existing) return undefined;
    if (existing.request_key === "")
      throw errors.precondition("RESERVATION_RELEASED", "this checkout was already released");
    if (existing.request_key !== requestKey)
      throw errors.conflict("RESERVATION_CONFLICT", "this checkout id was reserved with different lines");
    return this.view(trx, existing);
  }

  private async lock(trx: Trx, checkoutId: string): Promise<Row | undefined> {
    const { rows } = await sql<Row>`SELECT checkout_id, status, request_key, expires_at, created_at
      FROM reservations WHERE checkout_id = ${checkoutId} FOR UPDATE`.execute(trx);
    return rows[0];
  }

  private allocations(trx: Trx | Db, checkoutId: string) {
    return trx
      .selectFrom("reservation_allocations")
      .select(["shop_id as shopId", "sku", "warehouse_id as warehouseId", "quantity"])
      .where("checkout_id", "=", checkoutId)
      .orderBy("warehouse_id")
      .orderBy("sku")
      .execute();
  }

  private async setStatus(trx: Trx, checkoutId: string, status: ReservationStatus): Promise<void> {
    await trx
      .updateTable("reservations")
      .set({ status, updated_at: sql<Date>`now()` })
      .where("checkout_id", "=", checkoutId)
      .execute();
  }

  private async view(trx: Trx | Db, row: Row): Promise<ReservationView> {
    const allocations = await this.allocations(trx, row.checkout_id);
    return {
      checkoutId: row.checkout_id,
      status: row.status,
      lines: sumLines(allocations),
      allocations,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
    };
  }
}

function sumLines(allocations: readonly { shopId: string; sku: string; quantity: number }[]): ReserveLine[] {
  const lines = new Map<string, ReserveLine>();
  for (const a of allocations) {
    const key = `${a.shopId}\u0000${a.sku}`;
    const prev = lines.get(key);
    lines.set(key, { shopId: a.shopId, sku: a.sku, quantity: (prev?.quantity ?? 0) + a.quantity });
  }
  return [...lines.values()];
}

/** PostgreSQL's check_violation: a level would have broken 0 <= reserved <= on_hand. */
function isCheckViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "23514";
}

/** UNKNOWN_SKU when a line was never stocked by its shop, else OUT_OF_STOCK, per line. */
function shortageError(lines: readonly ReserveLine[], short: readonly ShortLine[]): DomainError {
  const unknown: FieldViolation[] = [];
  const missing: FieldViolation[] = [];
  lines.forEach((line, i) => {
    const s = short.find((x) => x.shopId === line.shopId && x.sku === line.sku);
    if (!s) return;
    if (s.levels === 0)
      unknown.push({
        field: `lines[${i}].sku`,
        message: `${line.sku} is not stocked by shop ${line.shopId}`,
      });
    else
      missing.push({
        field: `lines[${i}].quantity`,
        message: `${line.sku}: ${s.have} available, ${line.quantity} wanted`,
      });
  });
  if (unknown.length > 0) return new DomainError("not_found", "UNKNOWN_SKU", "unknown SKU", unknown);
  return new DomainError(
    "failed_precondition",
    "OUT_OF_STOCK",
    "not enough stock for this checkout",
    missing,
  );
}
