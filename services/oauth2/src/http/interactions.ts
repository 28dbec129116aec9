import type { Logger } from "@toko/kit";
import type { Middleware } from "koa";
import type Provider from "oidc-provider";
import { errors as oidcErrors } from "oidc-provider";
import type { UserDirectory } from "../provider/accounts.ts";
import { allowedApiScopes, applyApiScopes, grantableApiScopes } from "../provider/grants.ts";
import { type CsrfTokens, FormError, readForm } from "./form.ts";
import { PAGE_CSP } from "./html.ts";
import { consentPage, errorPage, loginPage } from "./pages.ts";

export interface InteractionDeps {
  users: UserDirectory;
  csrf: CsrfTokens;
  apiResource: string;
  logger: Logger;
}

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{10,64})(?:\/(login|consent))?$/;

const INVALID = "The email or password is incorrect.";
const lockedMessage = (seconds: number) =>
  `Too many failed sign-in attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;

/** The login and consent pages, as Koa middleware mounted inside the provider app. */
export function interactionRoutes(provider: Provider, deps: InteractionDeps): Middleware {
  return async (ctx, next) => {
    const match = ROUTE.exec(ctx.path);
    if (!match) return next();
    const [, uid = "", action] = match;
    const html = (status: number, body: string) => {
      ctx.status = status;
      ctx.type = "html";
      ctx.set("cache-control", "no-store");
      ctx.set("content-security-policy", PAGE_CSP);
      ctx.set("x-frame-options", "DENY");
      ctx.body = body;
    };
    try {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (details.uid !== uid) return html(400, errorPage("Sign-in expired", "Start signing in again."));
      const client = await provider.Client.find(String(details.params.client_id));
      const clientName = client?.clientName ?? String(details.params.client_id);
      const action_ = (name: string) => `/oauth2/interaction/${uid}/${name}`;
      const prompt = details.prompt.name;

      if (ctx.method === "GET" && action === undefined) {
        if (prompt === "login") {
          return html(
            200,
            loginPage({ action: action_("login"), csrfToken: deps.csrf.issue(uid), clientName }),
          );
        }
        if (firstParty(client)) {
          // First-party clients never show a consent screen (native ones still pass through here).
          const grantId = await approve(provider, details, deps);
          const to = await provider.interactionResult(
            ctx.req,
            ctx.res,
            { consent: { grantId } },
            { mergeWithLastSubmission: true },
          );
          ctx.status = 303;
          return ctx.redirect(to);
        }
        const scopes = await consentScopes(details, deps);
        return html(
          200,
          consentPage({ action: action_("consent"), csrfToken: deps.csrf.issue(uid), clientName, scopes }),
        );
      }
      if (ctx.method !== "POST" || action === undefined)
        return html(405, errorPage("Not allowed", "Use the form."));

      const form = await readForm(ctx.req);
      if (!deps.csrf.valid(uid, form.get("csrf"))) {
        return html(
          403,
          errorPage(
            "Request refused",
            "The form expired or did not come from this site. Go back and try again.",
          ),
        );
      }

      if (action === "login") {
        if (prompt !== "login")
          return html(400, errorPage("Already signed in", "Go back to the application."));
        const email = (form.get("email") ?? "").trim();
        const password = form.get("password") ?? "";
        const again = (status: number, error: string) =>
          html(
            status,
            loginPage({
              action: action_("login"),
              csrfToken: deps.csrf.issue(uid),
              clientName,
              email,
              error,
            }),
          );
        if (email === "" || password === "") return again(400, "Enter your email and password.");
        const result = await deps.users.verifyCredentials(email, password, ctx.ip);
        if (!result.ok) {
          if (result.code === "ACCOUNT_LOCKED") {
            ctx.set("retry-after", String(result.retryAfterSeconds));
            return again(429, lockedMessage(result.retryAfterSeconds));
          }
          return again(401, INVALID);
        }
        const to = await provider.interactionResult(
          ctx.req,
          ctx.res,
          { login: { accountId: result.userId } },
          { mergeWithLastSubmission: false },
        );
        ctx.status = 303;
        return ctx.redirect(to);
      }

      // consent
      if (prompt !== "consent")
        return html(400, errorPage("Nothing to approve", "Go back to the application."));
      if (form.get("decision") !== "allow") {
        const to = await provider.interactionResult(
          ctx.req,
          ctx.res,
          { error: "access_denied", error_description: "the user denied access" },
          { mergeWithLastSubmission: false },
        );
        ctx.status = 303;
        return ctx.redirect(to);
      }
      const grantId = await approve(provider, details, deps);
      const to = await provider.interactionResult(
        ctx.req,
        ctx.res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      ctx.status = 303;
      return ctx.redirect(to);
    } catch (error) {
      if (error instanceof oidcErrors.SessionNotFound) {
        return html(
          400,
          errorPage(
            "Sign-in expired",
            "This sign-in page expired. Go back to the application and start again.",
          ),
        );
      }
      if (error instanceof FormError) return html(400, errorPage("Bad request", error.message));
      const status = (error as { status?: number }).status;
      if (status === 503 || (error as Error).name === "RemoteCallError") {
        deps.logger.warn({ err: error }, "user service unavailable during sign-in");
        return html(
          503,
          errorPage("Sign-in unavailable", "Signing in is temporarily unavailable. Try again shortly."),
        );
      }
      deps.logger.error({ err: error }, "interaction failed");
      return html(500, errorPage("Something went wrong", "Try again from the application."));
    }
  };
}

const firstParty = (client: unknown): boolean =>
  (client as { toko_first_party?: boolean } | undefined)?.toko_first_party === true;

type Details = Awaited<ReturnType<Provider["interactionDetails"]>>;

interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

async function rolesOf(details: Details, deps: InteractionDeps): Promise<readonly string[]> {
  const accountId = details.session?.accountId;
  if (!accountId) return [];
  return (await deps.users.findUser(accountId))?.roles ?? [];
}

/** The scopes the consent screen lists: OIDC scopes plus the API scopes the user's roles allow. */
async function consentScopes(details: Details, deps: InteractionDeps): Promise<string[]> {
  const d = details.prompt.details as ConsentDetails;
  const api = allowedApiScopes(
    d.missingResourceScopes?.[deps.apiResource] ?? [],
    await rolesOf(details, deps),
  );
  return [...(d.missingOIDCScope ?? []), ...api];
}

async function approve(provider: Provider, details: Details, deps: InteractionDeps): Promise<string> {
  const accountId = details.session?.accountId ?? "";
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const d = details.prompt.details as ConsentDetails;
  if (d.missingOIDCScope?.length) grant.addOIDCScope(d.missingOIDCScope.join(" "));
  if (d.missingOIDCClaims?.length) grant.addOIDCClaims(d.missingOIDCClaims);
  const client = await provider.Client.find(clientId);
  applyApiScopes(
    grant,
    deps.apiResource,
    d.missingResourceScopes?.[deps.apiResource] ?? [],
    grantableApiScopes(firstParty(client), await rolesOf(details, deps)),
  );
  return grant.save();
}
