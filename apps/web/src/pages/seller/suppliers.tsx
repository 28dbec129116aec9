import { type FormEvent, useState } from "react";
import { SellerPage } from "../../components/seller-layout.tsx";
import { Field, Loading, ProblemAlert, SelectField } from "../../components/ui.tsx";
import { send, useAction, useApi } from "../../components/use-api.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import type { Page, Shop } from "../../lib/api-types.ts";
import { formatMoney, type Money, parseRupiah } from "../../lib/money.ts";
import { finishedOrders, type Scorecard, scorecardSummary } from "../../lib/scorecard.ts";
import { useShopSkus, type Warehouse } from "./stock.tsx";

interface Supplier {
  id: string;
  name: string;
  email: string | null;
  lead_time_days: number;
}
interface PurchaseOrder {
  id: string;
  supplier_id: string;
  warehouse_id: string;
  status: string;
  lines: { sku: string; quantity: number; received: number; rejected: number }[];
  total_cost: Money;
}

/** How a supplier delivers (on time, in full, how fast), from its scorecard. */
function SupplierScorecard({ supplier, orders }: { supplier: Supplier; orders: PurchaseOrder[] }) {
  const { t } = useI18n();
  const card = useApi<Scorecard>(`/api/v1/seller/suppliers/${encodeURIComponent(supplier.id)}/scorecard`);
  const headingId = `score-${supplier.id}`;
  const summary = card.data
    ? scorecardSummary(card.data, finishedOrders(orders, supplier.id), supplier.lead_time_days)
    : undefined;
  return (
    <article className="scorecard" aria-labelledby={headingId}>
      <h3 id={headingId}>{t("score.of", { name: supplier.name })}</h3>
      {card.loading && <Loading />}
      <ProblemAlert error={card.error} onRetry={card.reload} />
      {summary?.state === "noOrders" && <p className="muted">{t("score.noOrders")}</p>}
      {summary?.state === "notMeasured" && (
        <p className="muted">{t("score.notMeasured", { sent: summary.sent })}</p>
      )}
      {summary?.state === "measured" && (
        <dl className="facts">
          <div>
            <dt>{t("score.onTime")}</dt>
            <dd>{summary.onTime}</dd>
          </div>
          <div>
            <dt>{t("score.fill")}</dt>
            <dd>{summary.fill}</dd>
          </div>
          <div>
            <dt>{t("score.lead")}</dt>
            <dd>
              {t("score.leadValue", { days: summary.leadDays, promised: supplier.lead_time_days })}
              {summary.slower && <span className="badge"> {t("score.slower")}</span>}
            </dd>
          </div>
          <div>
            <dt>{t("score.rejected")}</dt>
            <dd>{summary.rejection}</dd>
          </div>
          <div>
            <dt>{t("score.orders")}</dt>
            <dd>{t("score.ordersValue", { sent: summary.sent, finished: summary.finished })}</dd>
          </div>
        </dl>
      )}
    </article>
  );
}

function Suppliers({ shop }: { shop: Shop }) {
  const { t } = useI18n();
  const suppliers = useApi<Page<Supplier>>("/api/v1/seller/suppliers?limit=100");
  const warehouses = useApi<Page<Warehouse>>("/api/v1/seller/warehouses?limit=100");
  const orders = useApi<Page<PurchaseOrder>>("/api/v1/seller/purchase-orders?limit=100");
  const skus = useShopSkus(shop);
  const action = useAction();
  const [supplier, setSupplier] = useState({ name: "", email: "", lead_time_days: "3" });
  const [po, setPo] = useState({ supplier_id: "", warehouse_id: "", sku: "", quantity: "", unit_cost: "" });
  const names = new Map((suppliers.data?.items ?? []).map((s) => [s.id, s.name]));
  const addSupplier = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await send("/api/v1/seller/suppliers", "POST", {
        name: supplier.name.trim(),
        lead_time_days: Number(supplier.lead_time_days),
        ...(supplier.email.trim() ? { email: supplier.email.trim() } : {}),
      });
      setSupplier({ name: "", email: "", lead_time_days: "3" });
      suppliers.reload();
    });
  };
  const createPo = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await send("/api/v1/seller/purchase-orders", "POST", {
        supplier_id: po.supplier_id || suppliers.data?.items[0]?.id,
        warehouse_id: po.warehouse_id || warehouses.data?.items[0]?.id,
        lines: [
          {
            sku: po.sku || skus[0],
            quantity: Number(po.quantity),
            unit_cost: { amount: parseRupiah(po.unit_cost) ?? -1, currency: "IDR" },
          },
        ],
      });
      orders.reload();
    });
  };
  const poAction = (o: PurchaseOrder, what: "send" | "receive") =>
    action.run(async () => {
      await send(
        `/api/v1/seller/purchase-orders/${encodeURIComponent(o.id)}/${what}`,
        "POST",
        what === "receive"
          ? { lines: o.lines.map((l) => ({ sku: l.sku, received: l.quantity - l.received - l.rejected })) }
          : {},
      );
      orders.reload();
    });
  return (
    <>
      <ProblemAlert error={action.error ?? suppliers.error ?? orders.error} />
      <section className="panel" aria-labelledby="suppliers">
        <h2 id="suppliers">{t("seller.suppliers")}</h2>
        <ul>
          {suppliers.data?.items.map((s) => (
            <li key={s.id}>
              {s.name} · {t("seller.leadTime")}: {s.lead_time_days}
            </li>
          ))}
        </ul>
        {(suppliers.data?.items.length ?? 0) > 0 && (
          <>
            <h3>{t("score.title")}</h3>
            <p className="muted small">{t("score.hint")}</p>
            {/* Remounted when the orders change, so a receipt shows in the scores at once. */}
            <div key={(orders.data?.items ?? []).map((o) => `${o.id}:${o.status}`).join(",")}>
              {suppliers.data?.items.map((s) => (
                <SupplierScorecard key={s.id} supplier={s} orders={orders.data?.items ?? []} />
              ))}
            </div>
          </>
        )}
        <form className="row" onSubmit={addSupplier}>
          <Field
            label={t("seller.supplierName")}
            value={supplier.name}
            onChange={(e) => setSupplier((s) => ({ ...s, name: e.target.value }))}
            required
          />
          <Field
            label={t("seller.email")}
            type="email"
            value={supplier.email}
            onChange={(e) => setSupplier((s) => ({ ...s, email: e.target.value }))}
          />
          <Field
            label={t("seller.leadTime")}
            type="number"
            min={0}
            max={365}
            value={supplier.lead_time_days}
            onChange={(e) => setSupplier((s) => ({ ...s, lead_time_days: e.target.value }))}
            required
          />
          <div className="field">
            <button type="submit" className="btn primary" disabled={action.pending}>
              {t("seller.addSupplier")}
            </button>
          </div>
        </form>
      </section>
      <section className="panel" aria-labelledby="pos">
        <h2 id="pos">{t("seller.purchaseOrders")}</h2>
        <form className="row" onSubmit={createPo}>
          <SelectField
            label={t("seller.supplier")}
            value={po.supplier_id}
            onChange={(e) => setPo((p) => ({ ...p, supplier_id: e.target.value }))}
          >
            {suppliers.data?.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t("seller.warehouse")}
            value={po.warehouse_id}
            onChange={(e) => setPo((p) => ({ ...p, warehouse_id: e.target.value }))}
          >
            {warehouses.data?.items.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t("seller.sku")}
            value={po.sku}
            onChange={(e) => setPo((p) => ({ ...p, sku: e.target.value }))}
          >
            {skus.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
          <Field
            label={t("seller.quantity")}
            type="number"
            min={1}
            value={po.quantity}
            onChange={(e) => setPo((p) => ({ ...p, quantity: e.target.value }))}
            required
          />
          <Field
            label={t("seller.unitCost")}
            inputMode="numeric"
            value={po.unit_cost}
            onChange={(e) => setPo((p) => ({ ...p, unit_cost: e.target.value }))}
            required
          />
          <div className="field">
            <button type="submit" className="btn primary" disabled={action.pending}>
              {t("seller.createPo")}
            </button>
          </div>
        </form>
        <ul>
          {orders.data?.items.map((o) => (
            <li key={o.id} className="line">
              <div className="line-body">
                <span>
                  {names.get(o.supplier_id) ?? o.supplier_id} · {o.status} · {formatMoney(o.total_cost)}
                </span>
                <span className="muted small">
                  {o.lines.map((l) => `${l.sku} ${l.received}/${l.quantity}`).join(", ")}
                </span>
              </div>
              {o.status.toUpperCase() === "DRAFT" && (
                <button type="button" className="btn" onClick={() => void poAction(o, "send")}>
                  {t("seller.sendPo", { id: o.id.slice(-6) })}
                </button>
              )}
              {["SENT", "PARTIALLY_RECEIVED"].includes(o.status.toUpperCase()) && (
                <button type="button" className="btn" onClick={() => void poAction(o, "receive")}>
                  {t("seller.receivePo", { id: o.id.slice(-6) })}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export default function SellerSuppliers() {
  const { t } = useI18n();
  return <SellerPage title={t("seller.suppliers")}>{(shop) => <Suppliers shop={shop} />}</SellerPage>;
}
