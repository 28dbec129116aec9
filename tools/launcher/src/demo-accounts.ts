import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ServiceSpec } from "./manifest.ts";

/** The file under the data directory holding the demo accounts' passwords (mode 0600). */
export const DEMO_ACCOUNTS_FILE = "demo-accounts.json";

/** A demo buyer or seller account (the user service's seed creates it). */
export interface DemoAccount {
  /** Fixed, so the product seed can hand the seller a demo shop without asking anyone. */
  id: string;
  email: string;
  name: string;
  password: string;
}

/** Every demo account of one data directory, with the passwords generated for it. */
export interface DemoAccounts {
  buyer: DemoAccount;
  seller: DemoAccount;
  admin: { email: string; password: string; fromEnvironment: boolean };
}

// Ids are not secrets (they are in every token and URL); only the passwords are.
const BUYER = { id: "0190d000-0000-7000-8000-00000000b001", email: "buyer@toko.local", name: "Demo Buyer" };
const SELLER = {
  id: "0190d000-0000-7000-8000-00000000e001",
  email: "seller@toko.local",
  name: "Demo Seller",
};

const newPassword = () => randomBytes(12).toString("base64url");

/**
 * Whether a run seeds the demo marketplace: development mode (what the launcher sets unless the
 * operator's environment says TOKO_ENV=production) with a user service to hold the accounts.
 */
export function demoEnabled(mode: "development" | "production", specs: readonly ServiceSpec[]): boolean {
  return mode === "development" && specs.some((s) => s.name === "user");
}

/**
 * The demo accounts of `dataDir`: passwords generated once into `<dataDir>/demo-accounts.json`
 * (mode 0600) and reused, so every start prints passwords that work. The seeds make the accounts
 * match the file, so a file generated afresh (a new data directory beside an external PostgreSQL)
 * takes over the demo accounts instead of printing passwords nobody set.
 */
export function ensureDemoAccounts(dataDir: string, env: Record<string, string | undefined>): DemoAccounts {
  const file = join(dataDir, DEMO_ACCOUNTS_FILE);
  let stored: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch {
      stored = {};
    }
  }
  const pick = (key: string) => {
    const value = stored[key];
    return typeof value === "string" && value.length >= 12 ? value : undefined;
  };
  const passwords = {
    buyer: pick("buyer") ?? newPassword(),
    seller: pick("seller") ?? newPassword(),
    admin: pick("admin") ?? newPassword(),
  };
  if (Object.entries(passwords).some(([k, v]) => stored[k] !== v)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  }
  const adminPassword = env.TOKO_ADMIN_PASSWORD || undefined;
  return {
    buyer: { ...BUYER, password: passwords.buyer },
    seller: { ...SELLER, password: passwords.seller },
    admin: {
      email: env.TOKO_ADMIN_EMAIL || "admin@toko.local",
      password: adminPassword ?? passwords.admin,
      fromEnvironment: adminPassword !== undefined,
    },
  };
}

/**
 * What each seed learns of the demo: the user seed every account (it makes them match this
 * file), the product and inventory seeds the seller's id (the owner of the first demo shop).
 */
export function demoSeedEnv(spec: ServiceSpec, demo: DemoAccounts): Record<string, string> {
  if (spec.name === "user") {
    const { admin } = demo;
    const accounts = [
      {
        id: demo.buyer.id,
        email: demo.buyer.email,
        name: demo.buyer.name,
        password: demo.buyer.password,
        roles: ["buyer"],
      },
      {
        id: demo.seller.id,
        email: demo.seller.email,
        name: demo.seller.name,
        password: demo.seller.password,
        roles: ["buyer", "seller"],
      },
      { email: admin.email, name: "Toko Admin", password: admin.password, roles: ["buyer", "admin"] },
    ];
    return { TOKO_DEMO_ACCOUNTS: JSON.stringify(accounts) };
  }
  if (spec.name === "product" || spec.name === "inventory") return { TOKO_DEMO_SELLER_ID: demo.seller.id };
  return {};
}

/** The demo accounts block of the summary, one line each. */
export function demoAccountLines(demo: DemoAccounts, dataDir: string): string[] {
  const rows = [
    ["buyer", demo.buyer.email, demo.buyer.password, ""],
    ["seller", demo.seller.email, demo.seller.password, "   owns a demo shop"],
    [
      "admin",
      demo.admin.email,
      demo.admin.fromEnvironment ? "(TOKO_ADMIN_PASSWORD)" : demo.admin.password,
      "",
    ],
  ];
  const width = Math.max(...rows.map((r) => (r[1] ?? "").length));
  return [
    `demo accounts (development only; passwords kept in ${join(dataDir, DEMO_ACCOUNTS_FILE)}):`,
    ...rows.map(
      ([role, email, password, note]) =>
        `  ${(role ?? "").padEnd(8)}  ${(email ?? "").padEnd(width)}  ${password}${note}`,
    ),
  ];
}
