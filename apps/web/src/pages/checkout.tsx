import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../api/client.ts";
import { AddressForm, addressLine } from "../components/address-form.tsx";
import { CartSummary } from "../components/cart-summary.tsx";
import { readDraft, saveDraft } from "../components/checkout-draft.ts";
import { rememberPayment } from "../components/checkout-payments.ts";
import { CourierSelect, pickAddress, useCouriers } from "../components/courier-choice.tsx";
import { cartChanged } from "../components/header.tsx";
import { Loading, PageTitle, ProblemAlert, RequireSignIn, SelectField } from "../components/ui.tsx";
import { isMissingRoute, send, useAction, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Address, Cart, Page, Payment } from "../lib/api-types.ts";
import { cartView } from "../lib/cart-view.ts";
import { formatRupiah } from "../lib/money.ts";
import { randomToken } from "../lib/pkce.ts";
import { navigate } from "../router.tsx";

const METHODS = ["bank_transfer_va", "ewallet", "credit_card", "cod"] as const;
/** The banks and e-wallets per method: the API's code and the name people know. */
const CHANNELS: Record<string, [string, string][]> = {
  bank_transfer_va: [
    ["bca", "BCA"],
    ["bni", "BNI"],
    ["bri", "BRI"],
    ["mandiri", "Mandiri"],
    ["permata", "Permata"],
  ],
  ewallet: [
    ["gopay", "GoPay"],
    ["ovo", "OVO"],
    ["dana", "DANA"],
    ["shopeepay", "ShopeePay"],
  ],
};

function Checkout() {
  const { t, tx } = useI18n();
  const cart = useApi<Cart>("/api/v1/cart");
  const addresses = useApi<Page<Address>>("/api/v1/me/addresses?limit=100");
  const [addressId, setAddressId] = useState(readDraft().addressId);
  const address = pickAddress(addresses.data?.items, addressId);
  const couriers = useCouriers(address?.id, cart.data);
  const [method, setMethod] = useState<string>("bank_transfer_va");
  const [channel, setChannel] = useState("bca");
  // One key per attempt: a double click or a retry after a lost answer places one order; an
  // attempt the API answered with a refusal (out of stock, a bad choice) is over, the next is new.
  const [idempotencyKey, setIdempotencyKey] = useState(() => randomToken(16));
  const place = useAction();
  const groupId = useId();
  if (cart.loading || addresses.loading) return <Loading />;
  if (!cart.data) return <ProblemAlert error={cart.error ?? addresses.error} onRetry={cart.reload} />;
  const view = cartView(cart.data, couriers.byShop, couriers.chosen);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!address) return;
    void place.run(async () => {
      const res = await send<{ checkout_id: string; payment: Payment }>(
        "/api/v1/checkout",
        "POST",
        {
          address_id: address.id,
          shipping: view.groups.map((g) => ({ shop_id: g.shopId, option_id: g.chosen?.id ?? "" })),
          payment_method: method,
          ...(CHANNELS[method] ? { payment_channel: channel } : {}),
          ...(cart.data && cart.data.vouchers.length > 0
            ? { voucher_codes: cart.data.vouchers.map((v) => v.code) }
            : {}),
        },
        idempotencyKey,
      ).catch((error: unknown) => {
        if (error instanceof ApiError && error.status >= 400 && error.status < 500)
          setIdempotencyKey(randomToken(16));
        throw error;
      });
      rememberPayment(res.checkout_id, res.payment.id);
      cartChanged();
      navigate(`/pay/${encodeURIComponent(res.payment.id)}`, true);
    });
  };
  const chooseAddress = (id: string) => {
    setAddressId(id);
    saveDraft({ ...readDraft(), addressId: id });
  };
  return (
    <>
      <PageTitle>{t("checkout.title")}</PageTitle>
      <form className="layout" onSubmit={submit}>
        <div>
          <fieldset className="panel">
            <legend>{t("checkout.address")}</legend>
            {addresses.data?.items.length === 0 && <p>{t("checkout.noAddress")}</p>}
            {addresses.data?.items.map((a) => (
              <div className="check" key={a.id}>
                <input
                  type="radio"
                  id={`${groupId}-a-${a.id}`}
                  name="address"
                  checked={a.id === address?.id}
                  onChange={() => chooseAddress(a.id)}
                />
                <label htmlFor={`${groupId}-a-${a.id}`}>
                  <strong>{a.label}</strong> — {addressLine(a)}
                </label>
              </div>
            ))}
            <details>
              <summary>{t("checkout.addAddress")}</summary>
              <AddressForm
                onSaved={(a) => {
                  chooseAddress(a.id);
                  addresses.reload();
                }}
              />
            </details>
          </fieldset>
          <fieldset className="panel">
            <legend>{t("checkout.couriers")}</legend>
            <ProblemAlert error={couriers.error} />
            {view.groups.map((g) => (
              <div key={g.shopId}>
                <p>
                  <strong>{g.shopName}</strong> · {g.lines.map((l) => `${l.title} ×${l.quantity}`).join(", ")}
                </p>
                {g.options.length > 0 && (
                  <CourierSelect
                    shopName={g.shopName}
                    options={g.options}
                    value={g.chosen?.id}
                    onChange={(id) => couriers.choose(g.shopId, id)}
                  />
                )}
              </div>
            ))}
          </fieldset>
          <fieldset className="panel">
            <legend>{t("checkout.payment")}</legend>
            {METHODS.map((m) => (
              <div className="check" key={m}>
                <input
                  type="radio"
                  id={`${groupId}-m-${m}`}
                  name="method"
                  checked={method === m}
                  onChange={() => setMethod(m)}
                />
                <label htmlFor={`${groupId}-m-${m}`}>{t(`checkout.method.${m}`)}</label>
              </div>
            ))}
            {CHANNELS[method] && (
              <SelectField
                label={method === "ewallet" ? t("checkout.wallet") : t("checkout.bank")}
                value={CHANNELS[method]?.some(([code]) => code === channel) ? channel : ""}
                onChange={(e) => setChannel(e.target.value)}
                required
              >
                <option value="" disabled>
                  —
                </option>
                {CHANNELS[method]?.map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </SelectField>
            )}
          </fieldset>
        </div>
        <aside className="panel">
          <CartSummary view={view} />
          {view.blockers.map((b) => (
            <p key={b} className="muted small">
              {tx(`cart.blocker.${b}`, b)}
            </p>
          ))}
          {isMissingRoute(place.error) ? (
            <p className="alert" role="alert">
              {t("checkout.unavailable")}
            </p>
          ) : (
            <ProblemAlert error={place.error} />
          )}
          {place.error instanceof ApiError && place.error.problem.code === "OUT_OF_STOCK" && (
            <button type="button" className="btn" onClick={() => navigate("/cart")}>
              {t("cart.title")}
            </button>
          )}
          <button
            type="submit"
            className="btn primary"
            disabled={place.pending || !address || view.blockers.length > 0}
          >
            {place.pending
              ? t("checkout.placing")
              : t("checkout.place", { total: formatRupiah(view.grandTotal) })}
          </button>
        </aside>
      </form>
    </>
  );
}

export default function CheckoutPage() {
  return (
    <RequireSignIn>
      <Checkout />
    </RequireSignIn>
  );
}
