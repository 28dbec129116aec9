import { createDb, createPool } from "@toko/kit";
import { loadPaymentConfig } from "./config.ts";
import { pgPaymentReads } from "./infrastructure/pg-payment-reads.ts";
import type { PaymentDatabase } from "./infrastructure/schema.ts";

// `npm run reconcile -w @toko/payment -- [--from <RFC 3339>] [--to <RFC 3339>]`: provider
// notifications against the ledger, as JSON on stdout; exit code 2 when anything disagrees.
function argument(name: string): Date | null {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return null;
  const value = new Date(process.argv[at + 1] ?? "");
  if (Number.isNaN(value.getTime())) throw new Error(`--${name} needs an RFC 3339 time`);
  return value;
}

const config = loadPaymentConfig();
const pool = createPool({ url: config.DATABASE_URL, max: 2, applicationName: "payment-reconcile" });
try {
  const report = await pgPaymentReads(createDb<PaymentDatabase>(pool)).reconciliation(
    argument("from"),
    argument("to"),
  );
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (report.mismatches.length > 0 || report.ledgerImbalance !== 0) process.exitCode = 2;
} finally {
  await pool.end();
}
