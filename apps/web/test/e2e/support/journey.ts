// Steps the journeys share: a checked page (axe + screenshot), signing in on the issuer's page.
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { criticalViolations, screenshot, type ViewportName } from "./browser.ts";

/** One journey on one screen: every page it visits is screenshotted and checked with axe-core. */
export class Journey {
  private step = 0;
  constructor(
    readonly page: Page,
    readonly name: string,
    readonly viewport: ViewportName,
  ) {}

  /** A screenshot of where a failed step stopped. */
  async failed(): Promise<void> {
    await screenshot(this.page, this.name, this.viewport, `${String(this.step + 1).padStart(2, "0")}-FAILED`);
  }

  /** Screenshot, no critical axe violation and no sideways scrolling on the current page. */
  async check(label: string): Promise<void> {
    this.step += 1;
    await screenshot(this.page, this.name, this.viewport, `${String(this.step).padStart(2, "0")}-${label}`);
    assert.deepEqual(
      await criticalViolations(this.page),
      [],
      `critical accessibility violations on ${label}`,
    );
    // Mobile first: nothing may push the page sideways.
    const overflow = await this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${label} is ${overflow}px wider than the ${this.viewport} screen`);
  }
}

/** Signs in on the authorization server's login form (fields `email` and `password`). */
export async function signInOnIssuerPage(page: Page, email: string, password: string): Promise<void> {
  await page.waitForURL(/\/oauth2\//);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(
    (url) => !url.pathname.startsWith("/oauth2") && !url.pathname.startsWith("/callback"),
    {
      timeout: 30_000,
    },
  );
}

/** Registers a user through the public API (the buyer's account; the seller registers in the UI). */
export async function registerUser(
  origin: string,
  email: string,
  password: string,
  name: string,
): Promise<void> {
  const res = await fetch(`${origin}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, name }),
  });
  assert.equal(res.status, 201, await res.text());
}

/** True when the gateway routes `method path` (an unknown route answers 404 "no route for …"). */
export async function routeExists(origin: string, method: string, path: string): Promise<boolean> {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: method === "GET" ? undefined : "{}",
  });
  if (res.status !== 404) return true;
  const body = (await res.json().catch(() => ({}))) as { detail?: string };
  return !(body.detail ?? "").startsWith("no route for");
}

/**
 * The header's main navigation, opened first when a phone shows it behind the menu button
 * (wider screens always show it).
 */
export async function mainNav(page: Page): Promise<Locator> {
  const button = page.getByRole("button", { name: "Menu", exact: true });
  if ((await button.isVisible()) && (await button.getAttribute("aria-expanded")) !== "true")
    await button.click();
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.waitFor();
  return nav;
}

/** GETs an API path with the bearer token the web app keeps for the person signed in on `page`. */
export async function apiAs<T>(page: Page, origin: string, path: string): Promise<T> {
  const token = await page.evaluate(() => {
    const raw = localStorage.getItem("toko.tokens");
    return raw ? (JSON.parse(raw) as { access_token?: string }).access_token : undefined;
  });
  assert.ok(token, "someone is signed in on this page");
  const res = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  assert.equal(res.status, 200, `GET ${path}: ${text}`);
  return JSON.parse(text) as T;
}
