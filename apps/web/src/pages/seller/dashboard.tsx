import { SellerPage } from "../../components/seller-layout.tsx";
import { ProblemAlert } from "../../components/ui.tsx";
import { isMissingRoute, useApi } from "../../components/use-api.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import { type Order, orderTotal, type Page, type Shop } from "../../lib/api-types.ts";
import { formatMoney, type Money } from "../../lib/money.ts";
import { bars, dailySales } from "../../lib/sales-chart.ts";
import { Link } from "../../router.tsx";

interface Balance {
  available: Money;
  pending: Money;
  payouts: { order_id: string; gross: Money; commission: Money; net: Money; created_at: string }[];
}

function SalesChart() {
  const { t } = useI18n();
  const orders = useApi<Page<Order>>("/api/v1/seller/orders?limit=100");
  if (orders.error)
    return isMissingRoute(orders.error) ? (
      <p className="muted">{t("orders.unavailable")}</p>
    ) : (
      <ProblemAlert error={orders.error} />
    );
  const days = dailySales(
    (orders.data?.items ?? []).map((o) => ({
      created_at: o.created_at ?? o.history[0]?.at,
      status: o.status,
      total: orderTotal(o)?.amount ?? 0,
    })),
    new Date(),
  );
  const rects = bars(days, 560, 160);
  return (
    <figure>
      <svg className="chart" viewBox="0 0 560 180" width="100%" role="img" aria-labelledby="chart-title">
        <title id="chart-title">{t("seller.salesChart")}</title>
        {rects.map((r) => (
          <rect key={r.date} x={r.x} y={r.y} width={r.width} height={r.height}>
            <title>{`${r.date}: ${formatMoney({ amount: r.amount, currency: "IDR" })}`}</title>
          </rect>
        ))}
        <line x1="0" y1="160" x2="560" y2="160" stroke="#9aa5b1" />
        {rects
          .filter((_, i) => i % 7 === 0 || i === rects.length - 1)
          .map((r) => (
            <text key={r.date} x={r.x} y="176" fontSize="11" fill="#52606d">
              {r.date.slice(5)}
            </text>
          ))}
      </svg>
      <figcaption className="sr-only">
        {days.map((d) => `${d.date}: ${formatMoney({ amount: d.amount, currency: "IDR" })}`).join("; ")}
      </figcaption>
    </figure>
  );
}

function Dashboard({ shop }: { shop: Shop }) {
  const { t, date } = useI18n();
  const balance = useApi<Balance>("/api/v1/seller/balance");
  return (
    <>
      <section className="panel">
        <h2>{t("seller.yourShop", { name: shop.name })}</h2>
        <p className="muted">
          {shop.city}, {shop.province}
        </p>
        <Link href={`/shop/${encodeURIComponent(shop.slug)}`}>{t("seller.viewShop")}</Link>
      </section>
      <section className="panel" aria-labelledby="balance">
        <h2 id="balance">{t("seller.balance")}</h2>
        {balance.error !== undefined &&
          (isMissingRoute(balance.error) ? (
            <p className="muted">{t("orders.unavailable")}</p>
          ) : (
            <ProblemAlert error={balance.error} />
          ))}
        {balance.data && (
          <>
            <p>
              {t("seller.available")}: <strong>{formatMoney(balance.data.available)}</strong> ·{" "}
              {t("seller.pending")}: {formatMoney(balance.data.pending)}
            </p>
            <h3>{t("seller.payouts")}</h3>
            <ul>
              {balance.data.payouts.map((p) => (
                <li key={p.order_id}>
                  {t("seller.payout", {
                    net: formatMoney(p.net),
                    gross: formatMoney(p.gross),
                    commission: formatMoney(p.commission),
                    id: p.order_id.slice(-8),
                  })}{" "}
                  <span className="muted small">{date(p.created_at)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="sales">
        <h2 id="sales">{t("seller.sales")}</h2>
        <SalesChart />
      </section>
    </>
  );
}

export default function SellerDashboard() {
  const { t } = useI18n();
  return <SellerPage title={t("seller.title")}>{(shop) => <Dashboard shop={shop} />}</SellerPage>;
}
