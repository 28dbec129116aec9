import type { Problem } from "../lib/api-types.ts";
import { accessToken, forceRefresh } from "./auth.ts";
import { cartToken } from "./cart-token.ts";

/** An API answer that was not 2xx, carrying the problem+json body (or one made up for it). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  /** Sent as Idempotency-Key on POSTs that create money or orders. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

async function problemOf(res: Response): Promise<Problem> {
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const body = (await res.json()) as Partial<Problem>;
      return { ...body, status: res.status };
    } catch {
      // fall through to a generic problem
    }
  }
  return { status: res.status, title: res.statusText, code: res.status >= 500 ? "UNAVAILABLE" : undefined };
}

async function send(path: string, options: RequestOptions, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  else {
    const guest = cartToken.get();
    if (guest && path.startsWith("/api/v1/cart")) headers["x-cart-token"] = guest;
  }
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  try {
    return await fetch(path, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: "same-origin",
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError({ status: 0, code: "NETWORK", detail: (error as Error).message });
  }
}

/**
 * Calls the public API on this origin: the signed-in user's bearer token (refreshed once on a
 * 401), or the guest cart token on cart paths. Non-2xx answers throw an `ApiError`.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const token = await accessToken();
  let res = await send(path, options, token);
  if (res.status === 401 && token) {
    const fresh = await forceRefresh();
    if (fresh) res = await send(path, options, fresh);
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
