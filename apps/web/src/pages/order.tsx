import { type FormEvent, useId, useState } from "react";
import { paymentOf } from "../components/checkout-payments.ts";
import {
  Field,
  Loading,
  Notice,
  PageTitle,
  ProblemAlert,
  RequireSignIn,
  SelectField,
} from "../components/ui.tsx";
import { send, useAction, useApi } from "../components/use-api.ts";
import { useProductTitles } from "../components/use-product-titles.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { lineName, type Order, type OrderLine, orderTotal } from "../lib/api-types.ts";
import { formatMoney } from "../lib/money.ts";
import { buyerActions, orderTimeline } from "../lib/order-flow.ts";
import { Link, navigate } from "../router.tsx";

interface Shipment {
  awb: string;
  carrier: string;
  service: string;
  status: string;
  timeline: { status: string; at: string; location: string; description: string }[];
}

function ReviewForm({ order, line, title }: { order: Order; line: OrderLine; title: string }) {
  const { t } = useI18n();
  const [rating, setRating] = useState("5");
  const [text, setText] = useState("");
  const [done, setDone] = useState(false);
  const action = useAction();
  const textId = useId();
  if (!line.product_id) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await send(`/api/v1/products/${encodeURIComponent(line.product_id ?? "")}/reviews`, "POST", {
        rating: Number(rating),
        text: text.trim(),
        order_id: order.id,
      });
      setDone(true);
    });
  };
  if (done) return <Notice>{t("review.thanks")}</Notice>;
  return (
    <form onSubmit={submit} className="panel" aria-label={t("review.title", { title })}>
      <h3>{t("review.title", { title })}</h3>
      <SelectField label={t("review.stars")} value={rating} onChange={(e) => setRating(e.target.value)}>
        {[5, 4, 3, 2, 1].map((n) => (
          <option key={n} value={n}>
            {t("review.star", { n })}
          </option>
        ))}
      </SelectField>
      <div className="field">
        <label htmlFor={textId}>{t("review.text")}</label>
        <textarea
          id={textId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={3}
          maxLength={10000}
        />
      </div>
      <ProblemAlert error={action.error} />
      <button type="submit" className="btn primary" disabled={action.pending}>
        {t("review.submit")}
      </button>
    </form>
  );
}

function ReturnForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await send(`/api/v1/orders/${encodeURIComponent(order.id)}/returns`, "POST", {
        reason: reason.trim(),
        lines: order.lines.map((l) => ({ line_id: l.line_id, quantity: l.quantity })),
      });
      onDone();
    });
  };
  return (
    <form onSubmit={submit} className="row">
      <Field
        label={t("orders.returnReason")}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        required
        maxLength={500}
      />
      <div className="field">
        <button type="submit" className="btn" disabled={action.pending}>
          {t("orders.return")}
        </button>
      </div>
      <ProblemAlert error={action.error} />
    </form>
  );
}

function OrderView({ id }: { id: string }) {
  const { t, tx, date } = useI18n();
  const order = useApi<Order>(`/api/v1/orders/${encodeURIComponent(id)}`);
  const shipmentId = order.data?.shipment?.shipment_id ?? order.data?.shipment?.id;
  const shipment = useApi<Shipment>(
    shipmentId ? `/api/v1/shipments/${encodeURIComponent(shipmentId)}` : null,
  );
  const action = useAction();
  const [done, setDone] = useState(false);
  const titles = useProductTitles(order.data?.lines.map((l) => l.product_id) ?? []);
  if (!order.data)
    return order.loading ? <Loading /> : <ProblemAlert error={order.error} onRetry={order.reload} />;
  const o = order.data;
  const actions = buyerActions(o.status);
  const name = (l: OrderLine) => titles.get(l.product_id ?? "") ?? lineName(l);
  const paymentId = o.payment_id ?? paymentOf(o.checkout_id);
  const act = (path: string, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    void action.run(async () => {
      await send(`/api/v1/orders/${encodeURIComponent(o.id)}/${path}`, "POST", {});
      setDone(true);
      order.reload();
    });
  };
  return (
    <>
      <PageTitle>{t("orders.order", { id: o.id.slice(-8) })}</PageTitle>
      <div className="layout">
        <div>
          <section className="panel">
            <p>
              <strong data-testid="order-status">{tx(`status.${o.status}`, o.status)}</strong>
            </p>
            <ul>
              {o.lines.map((l, i) => (
                <li key={l.variant_id ?? i}>
                  {l.product_id ? (
                    <Link href={`/p/${encodeURIComponent(l.product_id)}`}>{name(l)}</Link>
                  ) : (
                    name(l)
                  )}{" "}
                  ×{l.quantity} {l.line_total && formatMoney(l.line_total)}
                </li>
              ))}
            </ul>
            <p>
              {t("cart.total")}: <strong>{formatMoney(orderTotal(o))}</strong>
            </p>
          </section>
          <section className="panel" aria-labelledby="tracking">
            <h2 id="tracking">{t("orders.tracking")}</h2>
            <ol className="timeline">
              {orderTimeline(o).map((s) => (
                <li
                  key={s.status}
                  className={s.state}
                  aria-current={s.state === "current" ? "step" : undefined}
                >
                  {tx(`status.${s.status}`, s.status)}
                  {s.at && <span className="muted small"> · {date(s.at)}</span>}
                </li>
              ))}
            </ol>
            {(shipment.data || o.shipment?.awb) && (
              <>
                <p>
                  {t("orders.awb", {
                    awb: shipment.data?.awb ?? o.shipment?.awb ?? "",
                    carrier: shipment.data
                      ? `${shipment.data.carrier} ${shipment.data.service}`
                      : (o.shipment?.carrier ?? ""),
                  })}
                </p>
                <ol className="timeline">
                  {[...(shipment.data?.timeline ?? [])].reverse().map((e) => (
                    <li key={`${e.at}-${e.status}`} className="done">
                      {e.description}{" "}
                      <span className="muted small">
                        · {e.location} · {date(e.at)}
                      </span>
                    </li>
                  ))}
                </ol>
              </>
            )}
          </section>
        </div>
        <aside className="panel">
          {done && <Notice>{t("orders.done")}</Notice>}
          <ProblemAlert error={action.error} />
          {actions.includes("pay") && paymentId && (
            <button
              type="button"
              className="btn primary"
              onClick={() => navigate(`/pay/${encodeURIComponent(paymentId)}`)}
            >
              {t("orders.pay")}
            </button>
          )}
          {actions.includes("cancel") && (
            <button
              type="button"
              className="btn danger"
              disabled={action.pending}
              onClick={() => act("cancel", t("orders.confirmCancel"))}
            >
              {t("orders.cancel")}
            </button>
          )}
          {actions.includes("complete") && (
            <button
              type="button"
              className="btn primary"
              disabled={action.pending}
              onClick={() => act("complete")}
            >
              {t("orders.complete")}
            </button>
          )}
          {actions.includes("return") && <ReturnForm order={o} onDone={order.reload} />}
          {actions.includes("review") &&
            o.lines.map((l, i) => <ReviewForm key={l.variant_id ?? i} order={o} line={l} title={name(l)} />)}
        </aside>
      </div>
    </>
  );
}

export default function OrderPage({ params }: { params: Record<string, string> }) {
  return (
    <RequireSignIn>
      <OrderView id={params.id ?? ""} />
    </RequireSignIn>
  );
}
