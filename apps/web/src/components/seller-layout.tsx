import { type FormEvent, type ReactNode, useState } from "react";
import { forceRefresh } from "../api/auth.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Shop } from "../lib/api-types.ts";
import { Link, useLocation } from "../router.tsx";
import { useUser } from "../session.tsx";
import { Field, Loading, Notice, PageTitle, ProblemAlert, RequireSignIn } from "./ui.tsx";
import { send, useAction, useApi } from "./use-api.ts";
import { useFormState } from "./use-form.ts";

const shopKey = (sub: string) => `toko.shop.${sub}`;

/**
 * The signed-in seller's shop. The API has no "my shop" read, so the slug is remembered when the
 * shop is opened here (or typed once) and checked against the shop's owner.
 */
export function useMyShop() {
  const user = useUser();
  const [slug, setSlug] = useState(() => (user ? localStorage.getItem(shopKey(user.sub)) : null));
  const shop = useApi<Shop & { owner_id?: string }>(
    slug ? `/api/v1/shops/${encodeURIComponent(slug)}` : null,
  );
  const remember = (s: string) => {
    if (user) localStorage.setItem(shopKey(user.sub), s);
    setSlug(s);
  };
  const mine = shop.data && (!shop.data.owner_id || shop.data.owner_id === user?.sub) ? shop.data : undefined;
  return { slug, shop: mine, loading: shop.loading, error: shop.error, remember };
}

function OpenShop({ onOpened }: { onOpened: (slug: string) => void }) {
  const { t } = useI18n();
  const { form, bind: set } = useFormState({ name: "", slug: "", city: "", province: "", description: "" });
  const [existing, setExisting] = useState("");
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const shop = await send<Shop>("/api/v1/shops", "POST", {
        name: form.name.trim(),
        slug: form.slug.trim(),
        city: form.city.trim(),
        province: form.province.trim(),
        ...(form.description.trim() ? { description: form.description.trim() } : {}),
      });
      // The seller role counts from the next token on (decision 0003): refresh now.
      await forceRefresh();
      onOpened(shop.slug);
    });
  };
  return (
    <>
      <form className="panel" onSubmit={submit}>
        <h2>{t("seller.open")}</h2>
        <Field
          label={t("seller.shopName")}
          value={form.name}
          onChange={set("name")}
          required
          maxLength={100}
        />
        <Field
          label={t("seller.slug")}
          value={form.slug}
          onChange={set("slug")}
          required
          pattern="[a-z0-9][a-z0-9-]*"
          maxLength={60}
        />
        <Field label={t("address.city")} value={form.city} onChange={set("city")} required />
        <Field label={t("address.province")} value={form.province} onChange={set("province")} required />
        <Field label={t("seller.description")} value={form.description} onChange={set("description")} />
        <ProblemAlert error={action.error} />
        <button type="submit" className="btn primary" disabled={action.pending}>
          {t("seller.open")}
        </button>
      </form>
      <form
        className="panel row"
        onSubmit={(e) => {
          e.preventDefault();
          if (existing.trim()) onOpened(existing.trim());
        }}
      >
        <Field label={t("seller.slug")} value={existing} onChange={(e) => setExisting(e.target.value)} />
        <div className="field">
          <button type="submit" className="btn">
            {t("seller.yourShop", { name: existing || "…" })}
          </button>
        </div>
      </form>
    </>
  );
}

const SECTIONS: [string, Parameters<ReturnType<typeof useI18n>["t"]>[0]][] = [
  ["/seller", "seller.dashboard"],
  ["/seller/products", "seller.products"],
  ["/seller/stock", "seller.stock"],
  ["/seller/suppliers", "seller.suppliers"],
  ["/seller/orders", "seller.orders"],
  ["/seller/returns", "seller.returns"],
];

function SellerShell({ title, children }: { title: string; children: (shop: Shop) => ReactNode }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const my = useMyShop();
  const [opened, setOpened] = useState(false);
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <nav aria-label={t("seller.nav")}>
        <ul className="tabs">
          {SECTIONS.map(([href, key]) => (
            <li key={href}>
              <Link href={href} aria-current={path === href ? "page" : undefined}>
                {t(key)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {my.loading && <Loading />}
      {!my.loading && !my.shop && (
        <>
          <ProblemAlert error={my.error} />
          <OpenShop
            onOpened={(slug) => {
              setOpened(true);
              my.remember(slug);
            }}
          />
        </>
      )}
      {opened && my.shop && <Notice>{t("seller.opened")}</Notice>}
      {my.shop && children(my.shop)}
    </>
  );
}

/** A seller center page: signed in, with a shop, under the section tabs. */
export function SellerPage({ title, children }: { title: string; children: (shop: Shop) => ReactNode }) {
  return (
    <RequireSignIn>
      <SellerShell title={title}>{children}</SellerShell>
    </RequireSignIn>
  );
}
