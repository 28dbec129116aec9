import { useState } from "react";
import { SellerPage } from "../../components/seller-layout.tsx";
import { Loading, Notice, ProblemAlert, SelectField } from "../../components/ui.tsx";
import { isMissingRoute, send, useAction, useApi } from "../../components/use-api.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import { lineName, type Order, orderTotal, type Page } from "../../lib/api-types.ts";
import { formatMoney } from "../../lib/money.ts";
import { sellerActions } from "../../lib/order-flow.ts";
import { Link } from "../../router.tsx";

const FILTERS = [
  "",
  "PAID",
  "PROCESSING",
  "SHIPPED",
  "DELIVERED",
  "COMPLETED",
  "CANCELLED",
  "RETURN_REQUESTED",
];

function Orders() {
  const { t, tx, date } = useI18n();
  const [status, setStatus] = useState("");
  const orders = useApi<Page<Order>>(`/api/v1/seller/orders?limit=100${status ? `&status=${status}` : ""}`);
  const action = useAction();
  const [shipped, setShipped] = useState<{ awb: string; carrier: string }>();
  const act = (o: Order, what: "accept" | "reject" | "ship") =>
    action.run(async () => {
      const res = await send<{ awb?: string; carrier?: string }>(
        `/api/v1/seller/orders/${encodeURIComponent(o.id)}/${what}`,
        "POST",
        {},
      );
      if (what === "ship" && res?.awb) setShipped({ awb: res.awb, carrier: res.carrier ?? "" });
      orders.reload();
    });
  return (
    <>
      <SelectField label={t("seller.filter")} value={status} onChange={(e) => setStatus(e.target.value)}>
        {FILTERS.map((s) => (
          <option key={s} value={s}>
            {s ? tx(`status.${s}`, s) : t("seller.all")}
          </option>
        ))}
      </SelectField>
      {orders.loading && <Loading />}
      {isMissingRoute(orders.error) ? (
        <p className="alert">{t("orders.unavailable")}</p>
      ) : (
        <ProblemAlert error={orders.error} onRetry={orders.reload} />
      )}
      <ProblemAlert error={action.error} />
      {shipped && <Notice>{t("seller.shipped", shipped)}</Notice>}
      {orders.data?.items.length === 0 && <p>{t("seller.noOrders")}</p>}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {orders.data?.items.map((o) => {
          const short = o.id.slice(-8);
          const actions = sellerActions(o.status);
          return (
            <li key={o.id} className="panel" data-order-id={o.id}>
              <p>
                <strong>{t("orders.order", { id: short })}</strong> · {tx(`status.${o.status}`, o.status)}
                {o.created_at && <span className="muted small"> · {date(o.created_at)}</span>}
              </p>
              <p>{o.lines.map((l) => `${lineName(l)} ×${l.quantity}`).join(", ")}</p>
              <p>{formatMoney(orderTotal(o))}</p>
              <div className="row">
                {actions.includes("accept") && (
                  <button
                    type="button"
                    className="btn primary"
                    disabled={action.pending}
                    onClick={() => void act(o, "accept")}
                  >
                    {t("seller.accept", { id: short })}
                  </button>
                )}
                {actions.includes("reject") && (
                  <button
                    type="button"
                    className="btn danger"
                    disabled={action.pending}
                    onClick={() => void act(o, "reject")}
                  >
                    {t("seller.reject", { id: short })}
                  </button>
                )}
                {actions.includes("ship") && (
                  <button
                    type="button"
                    className="btn primary"
                    disabled={action.pending}
                    onClick={() => void act(o, "ship")}
                  >
                    {t("seller.ship", { id: short })}
                  </button>
                )}
                {actions.includes("label") && (
                  <Link className="btn" href={`/seller/orders/${encodeURIComponent(o.id)}/label`}>
                    {t("seller.label", { id: short })}
                  </Link>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

export default function SellerOrders() {
  const { t } = useI18n();
  return <SellerPage title={t("seller.orders")}>{() => <Orders />}</SellerPage>;
}
