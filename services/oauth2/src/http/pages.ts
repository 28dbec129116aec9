import { escapeHtml, page } from "./html.ts";

export interface LoginPageInput {
  action: string;
  csrfToken: string;
  clientName: string;
  email?: string;
  error?: string;
}

/** The sign-in form: fields `email` and `password`, labelled, with the error announced. */
export function loginPage(input: LoginPageInput): string {
  const error = input.error
    ? `<div class="error" id="form-error" role="alert">${escapeHtml(input.error)}</div>`
    : "";
  const described = input.error ? ' aria-describedby="form-error" aria-invalid="true"' : "";
  return page(
    "Sign in",
    `<h1>Sign in to continue to ${escapeHtml(input.clientName)}</h1>
${error}
<form method="post" action="${escapeHtml(input.action)}" novalidate>
<input type="hidden" name="csrf" value="${escapeHtml(input.csrfToken)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? "")}"${described}${input.email ? "" : " autofocus"}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}${input.email ? " autofocus" : ""}>
<button type="submit">Sign in</button>
</form>`,
  );
}

export interface ConsentPageInput {
  action: string;
  csrfToken: string;
  clientName: string;
  scopes: readonly string[];
}

const scopeText: Record<string, string> = {
  openid: "Know who you are",
  profile: "See your name",
  email: "See your email address",
  offline_access: "Stay signed in when you are away",
  buyer: "Shop on your behalf (cart, orders, addresses)",
  seller: "Manage your shop",
  admin: "Administer Toko",
};

/** The consent screen for a third-party client. */
export function consentPage(input: ConsentPageInput): string {
  const items = input.scopes.map((s) => `<li>${escapeHtml(scopeText[s] ?? s)}</li>`).join("");
  return page(
    "Allow access",
    `<h1>${escapeHtml(input.clientName)} wants to access your Toko account</h1>
<p>It will be able to:</p>
<ul>${items}</ul>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrfToken)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
}

/** A terminal error page; never echoes protocol internals beyond the error code and description. */
export function errorPage(title: string, detail: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(detail)}</p>`);
}

/** End-session confirmation; `form` is oidc-provider's hidden form (it carries its own xsrf token). */
export function logoutPage(form: string, host: string): string {
  return page(
    "Sign out",
    `<h1>Sign out of Toko on ${escapeHtml(host)}?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`,
  );
}
