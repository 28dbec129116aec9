import { SellerPage } from "../../components/seller-layout.tsx";
import { Loading, ProblemAlert } from "../../components/ui.tsx";
import { isMissingRoute, send, useAction, useApi } from "../../components/use-api.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import type { Order, Page } from "../../lib/api-types.ts";

type OrderWithReturns = Order & { returns?: { id: string; status: string; reason: string }[] };

function Returns() {
  const { t, tx } = useI18n();
  const orders = useApi<Page<OrderWithReturns>>("/api/v1/seller/orders?limit=100");
  const action = useAction();
  const withReturns = (orders.data?.items ?? []).filter(
    (o) => (o.returns?.length ?? 0) > 0 || o.status === "RETURN_REQUESTED",
  );
  const act = (id: string, what: "approve" | "reject" | "receive") =>
    action.run(async () => {
      await send(`/api/v1/seller/returns/${encodeURIComponent(id)}/${what}`, "POST", {});
      orders.reload();
    });
  return (
    <>
      {orders.loading && <Loading />}
      {isMissingRoute(orders.error) ? (
        <p className="alert">{t("orders.unavailable")}</p>
      ) : (
        <ProblemAlert error={orders.error} onRetry={orders.reload} />
      )}
      <ProblemAlert error={action.error} />
      {orders.data && withReturns.length === 0 && <p>{t("seller.noReturns")}</p>}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {withReturns.flatMap((o) =>
          (o.returns ?? []).map((r) => {
            const short = r.id.slice(-8);
            return (
              <li key={r.id} className="panel">
                <p>
                  <strong>{t("orders.order", { id: o.id.slice(-8) })}</strong> ·{" "}
                  {tx(`status.${o.status}`, o.status)} · {r.status}
                </p>
                <p>{r.reason}</p>
                <div className="row">
                  {r.status === "REQUESTED" && (
                    <>
                      <button type="button" className="btn primary" onClick={() => void act(r.id, "approve")}>
                        {t("seller.approve", { id: short })}
                      </button>
                      <button type="button" className="btn danger" onClick={() => void act(r.id, "reject")}>
                        {t("seller.rejectReturn", { id: short })}
                      </button>
                    </>
                  )}
                  {r.status === "APPROVED" && (
                    <button type="button" className="btn" onClick={() => void act(r.id, "receive")}>
                      {t("seller.receive", { id: short })}
                    </button>
                  )}
                </div>
              </li>
            );
          }),
        )}
      </ul>
    </>
  );
}

export default function SellerReturns() {
  const { t } = useI18n();
  return <SellerPage title={t("seller.returns")}>{() => <Returns />}</SellerPage>;
}
