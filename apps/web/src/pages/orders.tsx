import { Loading, PageTitle, ProblemAlert, RequireSignIn } from "../components/ui.tsx";
import { isMissingRoute, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { lineName, type Order, orderTotal, type Page } from "../lib/api-types.ts";
import { formatMoney } from "../lib/money.ts";
import { Link } from "../router.tsx";

function Orders() {
  const { t, tx, date } = useI18n();
  const orders = useApi<Page<Order>>("/api/v1/orders?limit=50");
  return (
    <>
      <PageTitle>{t("orders.title")}</PageTitle>
      {orders.loading && <Loading />}
      {isMissingRoute(orders.error) ? (
        <p className="alert" role="alert">
          {t("orders.unavailable")}
        </p>
      ) : (
        <ProblemAlert error={orders.error} onRetry={orders.reload} />
      )}
      {orders.data?.items.length === 0 && <p>{t("orders.none")}</p>}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {orders.data?.items.map((o) => (
          <li key={o.id} className="panel">
            <p>
              <strong>{tx(`status.${o.status}`, o.status)}</strong>
              {o.created_at && <span className="muted small"> · {date(o.created_at)}</span>}
            </p>
            <p>{o.lines.map((l) => `${lineName(l)} ×${l.quantity}`).join(", ")}</p>
            <p>{formatMoney(orderTotal(o))}</p>
            <Link
              href={`/orders/${encodeURIComponent(o.id)}`}
              aria-label={t("orders.detail", { id: o.id.slice(-8) })}
            >
              {t("orders.tracking")}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

export default function OrdersPage() {
  return (
    <RequireSignIn>
      <Orders />
    </RequireSignIn>
  );
}
