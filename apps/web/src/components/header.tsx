import { type FormEvent, type MouseEvent, useEffect, useId, useRef, useState } from "react";
import { signIn, signOut } from "../api/auth.ts";
import { api, query } from "../api/client.ts";
import { type Lang, useI18n } from "../i18n/i18n.tsx";
import type { Cart } from "../lib/api-types.ts";
import { Link, navigate, useLocation, useQuery } from "../router.tsx";
import { useUser } from "../session.tsx";

/** Tells the header the cart changed (after an add, a removal, a merge). */
export function cartChanged(): void {
  window.dispatchEvent(new Event("toko:cart-changed"));
}

function useCartCount(): number {
  const [count, setCount] = useState(0);
  const user = useUser();
  useEffect(() => {
    let live = true;
    const load = () =>
      api<Cart>("/api/v1/cart").then(
        (c) => live && setCount(c.shops.reduce((n, s) => n + s.lines.reduce((m, l) => m + l.quantity, 0), 0)),
        () => live && setCount(0),
      );
    void user;
    void load();
    window.addEventListener("toko:cart-changed", load);
    return () => {
      live = false;
      window.removeEventListener("toko:cart-changed", load);
    };
  }, [user]);
  return count;
}

function suggestionTexts(body: unknown): string[] {
  const list =
    (body as { items?: unknown[]; suggestions?: unknown[] })?.items ??
    (body as { suggestions?: unknown[] })?.suggestions ??
    [];
  return list
    .map((s) =>
      typeof s === "string"
        ? s
        : ((s as { text?: string; term?: string; title?: string }).text ??
          (s as { term?: string }).term ??
          (s as { title?: string }).title ??
          ""),
    )
    .filter((s) => s.length > 0)
    .slice(0, 8);
}

function SearchBox() {
  const { t } = useI18n();
  const initial = useQuery().get("q") ?? "";
  const [q, setQ] = useState(initial);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const listId = useId();
  useEffect(() => setQ(initial), [initial]);
  useEffect(() => {
    if (q.trim().length < 2) {
      setSuggestions([]);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      api<unknown>(`/api/v1/search/suggest${query({ q: q.trim() })}`, { signal: abort.signal }).then(
        (body) => setSuggestions(suggestionTexts(body)),
        () => setSuggestions([]),
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [q]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/search${query({ q: q.trim() })}`);
  };
  return (
    <search className="searchbox">
      <form className="searchbox" onSubmit={submit}>
        <label htmlFor={`${listId}-q`} className="sr-only">
          {t("search.label")}
        </label>
        <input
          id={`${listId}-q`}
          type="search"
          name="q"
          value={q}
          placeholder={t("search.placeholder")}
          onChange={(e) => setQ(e.target.value)}
          list={listId}
          autoComplete="off"
        />
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <button type="submit" className="btn primary">
          {t("search.submit")}
        </button>
      </form>
    </search>
  );
}

/**
 * The phone menu's state: open or closed, closed again by any navigation and by Escape (which
 * gives focus back to the button, so a keyboard user is where they were).
 */
function useMenu(path: string) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on each new location
  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);
  return { open, setOpen, button };
}

/**
 * The top bar: home, cart and (on a phone) the menu button in one row, the search under them;
 * account links and language in the menu, which wider screens always show.
 */
export function Header() {
  const { t, lang, setLang } = useI18n();
  const user = useUser();
  const count = useCartCount();
  const loc = useLocation();
  const langId = useId();
  const navId = useId();
  const menu = useMenu(loc.path + loc.search);
  // A link chosen in the menu closes it even when it leads to the page already shown.
  const closeOnLink = (e: MouseEvent<HTMLElement>) => {
    if ((e.target as HTMLElement).closest("a")) menu.setOpen(false);
  };
  return (
    <header className="topbar">
      <div className="topbar-row">
        <Link href="/" className="logo" aria-label={t("app.home")}>
          toko
        </Link>
        <div className="topbar-search">
          <SearchBox />
        </div>
        <Link href="/cart" className="cart-link" aria-label={t("app.cartCount", { count })}>
          {t("app.cart")}{" "}
          <span className="count" aria-hidden="true">
            {count}
          </span>
        </Link>
        <button
          type="button"
          ref={menu.button}
          className="btn menu-button"
          aria-expanded={menu.open}
          aria-controls={navId}
          onClick={() => menu.setOpen((o) => !o)}
        >
          <span aria-hidden="true">{menu.open ? "✕" : "☰"}</span> {t("app.menu")}
        </button>
      </div>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the links inside are the keyboard's way; this only closes the menu after one */}
      <nav
        id={navId}
        aria-label={t("app.mainNav")}
        className={menu.open ? "topnav open" : "topnav"}
        onClick={closeOnLink}
      >
        {user ? (
          <>
            <Link href="/orders">{t("app.orders")}</Link>
            <Link href="/wishlist">{t("app.wishlist")}</Link>
            <Link href="/notifications">{t("app.notifications")}</Link>
            <Link href="/profile">{t("app.account")}</Link>
            <Link href="/seller">{t("app.seller")}</Link>
            <button type="button" className="linklike" onClick={() => void signOut()}>
              {t("app.signOut")}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="linklike" onClick={() => void signIn(loc.path + loc.search)}>
              {t("app.signIn")}
            </button>
            <Link href="/register">{t("app.register")}</Link>
          </>
        )}
        <span className="lang">
          <label htmlFor={langId}>{t("app.language")}</label>{" "}
          <select id={langId} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="id">Bahasa Indonesia</option>
            <option value="en">English</option>
          </select>
        </span>
      </nav>
    </header>
  );
}
