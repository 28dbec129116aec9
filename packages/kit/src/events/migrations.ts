import { join } from "node:path";
import { type Migration, readMigrations } from "../db/migrations.ts";

const root = join(import.meta.dirname, "..", "..", "migrations");

/** Prefixes the names so they cannot collide with a service's own `NNNN_name.sql`. */
function prefixed(dir: string, prefix: string): Migration[] {
  return readMigrations(join(root, dir)).map((m) => ({ ...m, name: `${prefix}/${m.name}` }));
}

/**
 * The kit's tables in a service's own database (outbox, inbox, dead letters, timers). Apply
 * them before the service's: `migrate(pool, [...kitMigrations, ...readMigrations(dir)])`.
 */
export const kitMigrations: readonly Migration[] = prefixed("service", "kit");

/** The PostgreSQL bus's tables in the shared bus database; the bus applies them itself. */
export const kitBusMigrations: readonly Migration[] = prefixed("bus", "kit-bus");
