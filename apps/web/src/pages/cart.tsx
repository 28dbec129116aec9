import { type FormEvent, useState } from "react";
import { signIn } from "../api/auth.ts";
import { CartSummary } from "../components/cart-summary.tsx";
import { readDraft } from "../components/checkout-draft.ts";
import { CourierSelect, pickAddress, useCouriers } from "../components/courier-choice.tsx";
import { cartChanged } from "../components/header.tsx";
import { Field, Loading, PageTitle, Price, ProblemAlert, ProductImage } from "../components/ui.tsx";
import { send, useAction, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Address, Cart, CartLine, Page } from "../lib/api-types.ts";
import { cartView, problemText } from "../lib/cart-view.ts";
import { formatMoney } from "../lib/money.ts";
import { Link, navigate } from "../router.tsx";
import { useUser } from "../session.tsx";

function Line({ line, onChange }: { line: CartLine; onChange: () => void }) {
  const { t, tx } = useI18n();
  const action = useAction();
  const [qty, setQty] = useState(String(line.quantity));
  const path = `/api/v1/cart/items/${encodeURIComponent(line.variant_id)}`;
  const update = (value: string) => {
    setQty(value);
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n === line.quantity) return;
    void action.run(async () => {
      await send<Cart>(path, "PATCH", { quantity: n });
      onChange();
      cartChanged();
    });
  };
  const remove = () =>
    action.run(async () => {
      await send(path, "DELETE");
      onChange();
      cartChanged();
    });
  const options = Object.values(line.options).join(", ");
  return (
    <li className="line">
      <ProductImage src={line.image_url} title={line.title} size="thumb" />
      <div className="line-body">
        <Link href={`/p/${encodeURIComponent(line.product_id)}`}>{line.title}</Link>
        {options && <span className="muted small">{options}</span>}
        <Price price={line.unit_price} />
        {line.problems.map((p) => (
          <span key={problemText(p)} className="alert small">
            {tx(`problem.${problemText(p)}`, problemText(p))}
          </span>
        ))}
        <div className="row">
          <Field
            label={t("cart.quantityOf", { title: line.title })}
            type="number"
            min={1}
            className="qty"
            value={qty}
            onChange={(e) => update(e.target.value)}
          />
          <button
            type="button"
            className="btn danger"
            onClick={() => void remove()}
            disabled={action.pending}
            aria-label={t("cart.remove", { title: line.title })}
          >
            {t("cart.removeShort")}
          </button>
        </div>
        <ProblemAlert error={action.error} />
      </div>
      <strong>{formatMoney(line.line_total)}</strong>
    </li>
  );
}

function Vouchers({ cart, onChange }: { cart: Cart; onChange: () => void }) {
  const { t } = useI18n();
  const user = useUser();
  const [code, setCode] = useState("");
  const action = useAction();
  if (!user) return <p className="muted small">{t("cart.signInForVouchers")}</p>;
  const apply = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await send("/api/v1/cart/vouchers", "POST", { code: code.trim() });
      setCode("");
      onChange();
    });
  };
  return (
    <div>
      <form className="row" onSubmit={apply}>
        <Field
          label={t("cart.voucher")}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          required
          maxLength={64}
        />
        <div className="field">
          <button type="submit" className="btn" disabled={action.pending || code.trim() === ""}>
            {t("cart.applyVoucher")}
          </button>
        </div>
      </form>
      <ProblemAlert error={action.error} />
      <ul>
        {cart.vouchers.map((v) => (
          <li key={v.code}>
            {v.code} (-{formatMoney(v.discount)}){" "}
            <button
              type="button"
              className="linklike"
              onClick={() =>
                void action.run(async () => {
                  await send(`/api/v1/cart/vouchers/${encodeURIComponent(v.code)}`, "DELETE");
                  onChange();
                })
              }
            >
              {t("cart.removeVoucher", { code: v.code })}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export default function CartPage() {
  const { t, tx } = useI18n();
  const user = useUser();
  const cart = useApi<Cart>("/api/v1/cart");
  const addresses = useApi<Page<Address>>(user ? "/api/v1/me/addresses?limit=100" : null);
  const address = pickAddress(addresses.data?.items, readDraft().addressId);
  const couriers = useCouriers(address?.id, cart.data);
  if (cart.loading && !cart.data) return <Loading />;
  if (!cart.data) return <ProblemAlert error={cart.error} onRetry={cart.reload} />;
  const view = cartView(cart.data, couriers.byShop, couriers.chosen);
  if (view.groups.length === 0) {
    return (
      <section className="panel">
        <PageTitle>{t("cart.title")}</PageTitle>
        <p>{t("cart.empty")}</p>
        <Link href="/" className="btn primary">
          {t("cart.startShopping")}
        </Link>
      </section>
    );
  }
  return (
    <>
      <PageTitle>{t("cart.title")}</PageTitle>
      <div className="layout">
        <div>
          {view.groups.map((g) => (
            <section
              key={g.shopId}
              className="panel"
              aria-label={t("cart.shop", { name: g.shopName, city: g.city })}
            >
              <h2>{t("cart.shop", { name: g.shopName, city: g.city })}</h2>
              <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
                {g.lines.map((l) => (
                  <Line key={l.variant_id} line={l} onChange={cart.reload} />
                ))}
              </ul>
              {g.options.length > 0 && (
                <CourierSelect
                  shopName={g.shopName}
                  options={g.options}
                  value={g.chosen?.id}
                  onChange={(id) => couriers.choose(g.shopId, id)}
                />
              )}
            </section>
          ))}
        </div>
        <aside className="panel" aria-labelledby="summary">
          <h2 id="summary">{t("cart.summary")}</h2>
          <Vouchers cart={cart.data} onChange={cart.reload} />
          <CartSummary view={view} />
          <ProblemAlert error={couriers.error} />
          {view.blockers.map((b) => (
            <p key={b} className="muted small">
              {tx(`cart.blocker.${b}`, b)}
            </p>
          ))}
          {user ? (
            <button
              type="button"
              className="btn primary"
              disabled={view.blockers.includes("EMPTY") || view.blockers.includes("LINE_PROBLEMS")}
              onClick={() => navigate("/checkout")}
            >
              {t("cart.checkout")}
            </button>
          ) : (
            <button type="button" className="btn primary" onClick={() => void signIn("/cart")}>
              {t("cart.signInToCheckout")}
            </button>
          )}
        </aside>
      </div>
    </>
  );
}
