/** A minimal browser: a cookie jar and manual redirects, so a test sees every hop. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  /** Headers a proxy would add, e.g. none; tests going through the gateway need none either. */
  constructor(private readonly extraHeaders: Record<string, string> = {}) {}

  async fetch(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...this.extraHeaders };
    const jar = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (jar) headers.cookie = jar;
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      body,
      redirect: "manual",
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects from `url` until one points at `stopAt` (returned) or a page is served. */
  async follow(url: string, stopAt: string): Promise<{ url: string; response: Response }> {
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      if (current.startsWith(stopAt)) return { url: current, response: new Response(null, { status: 302 }) };
      const response = await this.fetch(current);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      await response.arrayBuffer();
      current = new URL(location, current).href;
    }
    throw new Error("too many redirects");
  }
}

/** The value of a named hidden/input field in an HTML form. */
export function formField(html: string, name: string): string | undefined {
  const re = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`);
  return re.exec(html)?.[1]?.replaceAll("&amp;", "&");
}

/** The action attribute of the first form. */
export function formAction(html: string): string | undefined {
  return /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
}
