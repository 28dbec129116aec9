import type { RouteOptions } from "fastify";

type LifecycleHook = "onRequest" | "preHandler" | "onSend" | "onResponse";

const platform = Symbol("toko.platformHook");

/**
 * Adds a platform hook to one route, from an `onRoute` hook: after the platform hooks added
 * before it (install order = run order: auth before rate limits), before the route's own.
 * Per-route hooks carry what they need in their closure (rule, bucket, metric children), so the
 * request path neither reads `request.routeOptions` (a fresh object per access) nor runs on
 * routes that do not need it. A new array every time: Fastify's implicit HEAD route starts
 * from a shallow copy of these options and gets its own `onRoute` call.
 */
export function addRouteHook<H extends object>(route: RouteOptions, name: LifecycleHook, hook: H): void {
  const options = route as unknown as Record<LifecycleHook, unknown>;
  const existing = options[name];
  const hooks: unknown[] = existing === undefined ? [] : Array.isArray(existing) ? [...existing] : [existing];
  let at = 0;
  while (at < hooks.length && (hooks[at] as { [platform]?: true })[platform]) at++;
  Object.defineProperty(hook, platform, { value: true });
  hooks.splice(at, 0, hook);
  options[name] = hooks;
}

/** The single method of a route, or undefined when one route serves several methods. */
export function singleMethod(route: RouteOptions): string | undefined {
  return typeof route.method === "string" ? route.method : undefined;
}
