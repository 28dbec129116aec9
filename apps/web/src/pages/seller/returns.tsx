import { useState } from "react";
import { SellerPage } from "../../components/seller-layout.tsx";
import { Field, Loading, ProblemAlert } from "../../components/ui.tsx";
import { isMissingRoute, send, useAction, useApi } from "../../components/use-api.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import type { Order, Page } from "../../lib/api-types.ts";

type Return = NonNullable<Order["returns"]>[number];

function ReturnCard({ order, ret, onChange }: { order: Order; ret: Return; onChange: () => void }) {
  const { t, tx } = useI18n();
  const [reason, setReason] = useState("");
  const action = useAction();
  const short = ret.id.slice(-8);
  const act = (what: "approve" | "reject" | "receive") =>
    action.run(async () => {
      await send(
        `/api/v1/seller/returns/${encodeURIComponent(ret.id)}/${what}`,
        "POST",
        what === "reject" ? { reason: reason.trim() } : {},
      );
      onChange();
    });
  return (
    <li className="panel">
      <p>
        <strong>{t("orders.order", { id: order.id.slice(-8) })}</strong> ·{" "}
        {tx(`status.${order.status}`, order.status)} · {ret.status}
      </p>
      <p>{ret.reason}</p>
      <p className="muted small">{(ret.lines ?? []).map((l) => `${l.sku} ×${l.quantity}`).join(", ")}</p>
      {ret.status === "REQUESTED" && (
        <div className="row">
          <button
            type="button"
            className="btn primary"
            disabled={action.pending}
            onClick={() => void act("approve")}
          >
            {t("seller.approve", { id: short })}
          </button>
          <Field
            label={t("seller.reason")}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            minLength={3}
            maxLength={1000}
          />
          <div className="field">
            <button
              type="button"
              className="btn danger"
              disabled={action.pending || reason.trim().length < 3}
              onClick={() => void act("reject")}
            >
              {t("seller.rejectReturn", { id: short })}
            </button>
          </div>
        </div>
      )}
      {ret.status === "APPROVED" && (
        <button type="button" className="btn" disabled={action.pending} onClick={() => void act("receive")}>
          {t("seller.receive", { id: short })}
        </button>
      )}
      <ProblemAlert error={action.error} />
    </li>
  );
}

function Returns() {
  const { t } = useI18n();
  const orders = useApi<Page<Order>>("/api/v1/seller/orders?limit=100");
  const withReturns = (orders.data?.items ?? []).filter((o) => (o.returns?.length ?? 0) > 0);
  return (
    <>
      {orders.loading && <Loading />}
      {isMissingRoute(orders.error) ? (
        <p className="alert">{t("orders.unavailable")}</p>
      ) : (
        <ProblemAlert error={orders.error} onRetry={orders.reload} />
      )}
      {orders.data && withReturns.length === 0 && <p>{t("seller.noReturns")}</p>}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {withReturns.flatMap((o) =>
          (o.returns ?? []).map((r) => <ReturnCard key={r.id} order={o} ret={r} onChange={orders.reload} />),
        )}
      </ul>
    </>
  );
}

export default function SellerReturns() {
  const { t } = useI18n();
  return <SellerPage title={t("seller.returns")}>{() => <Returns />}</SellerPage>;
}
