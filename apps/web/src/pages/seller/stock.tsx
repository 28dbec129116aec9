import { type FormEvent, useState } from "react";
import { SellerPage } from "../../components/seller-layout.tsx";
import { Field, Loading, Notice, ProblemAlert, SelectField } from "../../components/ui.tsx";
import { send, useAction, useApi } from "../../components/use-api.ts";
import { useFormState } from "../../components/use-form.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import type { Page, Product, Shop } from "../../lib/api-types.ts";

export interface Warehouse {
  id: string;
  name: string;
  address: string;
  city: string;
  province: string;
  is_default: boolean;
}
interface Level {
  sku: string;
  warehouse_id: string;
  on_hand: number;
  reserved: number;
  available: number;
}

/** The shop's SKUs, for pickers. */
export function useShopSkus(shop: Shop): string[] {
  const products = useApi<Page<Product>>(`/api/v1/products?shop=${encodeURIComponent(shop.id)}&limit=100`);
  return (products.data?.items ?? []).flatMap((p) => p.variants.map((v) => v.sku));
}

function NewWarehouse({ onSaved }: { onSaved: () => void }) {
  const { t } = useI18n();
  const empty = { name: "", address: "", city: "", province: "" };
  const { form, setForm, bind: set } = useFormState(empty);
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await send("/api/v1/seller/warehouses", "POST", form);
      setForm(empty);
      onSaved();
    });
  };
  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t("seller.addWarehouse")}</h2>
      <Field label={t("seller.warehouseName")} value={form.name} onChange={set("name")} required />
      <Field label={t("seller.address")} value={form.address} onChange={set("address")} required />
      <Field label={t("address.city")} value={form.city} onChange={set("city")} required />
      <Field label={t("address.province")} value={form.province} onChange={set("province")} required />
      <ProblemAlert error={action.error} />
      <button type="submit" className="btn primary" disabled={action.pending}>
        {t("seller.addWarehouse")}
      </button>
    </form>
  );
}

function Adjust({
  skus,
  warehouses,
  onSaved,
}: {
  skus: string[];
  warehouses: Warehouse[];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { form, setForm, bind: set } = useFormState({ sku: "", warehouse_id: "", delta: "", reason: "" });
  const [done, setDone] = useState(false);
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    void action.run(async () => {
      await send("/api/v1/seller/stock/adjustments", "POST", {
        sku: form.sku || skus[0],
        warehouse_id: form.warehouse_id || warehouses[0]?.id,
        delta: Number(form.delta),
        reason: form.reason.trim(),
      });
      setForm((f) => ({ ...f, delta: "", reason: "" }));
      setDone(true);
      onSaved();
    });
  };
  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t("seller.adjust")}</h2>
      <SelectField label={t("seller.sku")} value={form.sku || skus[0] || ""} onChange={set("sku")} required>
        {skus.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t("seller.warehouse")}
        value={form.warehouse_id || warehouses[0]?.id || ""}
        onChange={set("warehouse_id")}
        required
      >
        {warehouses.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </SelectField>
      <Field label={t("seller.delta")} type="number" value={form.delta} onChange={set("delta")} required />
      <Field label={t("seller.reason")} value={form.reason} onChange={set("reason")} required />
      <ProblemAlert error={action.error} />
      {done && <Notice>{t("seller.adjusted")}</Notice>}
      <button
        type="submit"
        className="btn primary"
        disabled={action.pending || skus.length === 0 || warehouses.length === 0}
      >
        {t("seller.adjust")}
      </button>
    </form>
  );
}

function Stock({ shop }: { shop: Shop }) {
  const { t } = useI18n();
  const warehouses = useApi<Page<Warehouse>>("/api/v1/seller/warehouses?limit=100");
  const levels = useApi<Page<Level>>("/api/v1/seller/stock?limit=100");
  const skus = useShopSkus(shop);
  const names = new Map((warehouses.data?.items ?? []).map((w) => [w.id, w.name]));
  return (
    <>
      <section className="panel" aria-labelledby="warehouses">
        <h2 id="warehouses">{t("seller.warehouses")}</h2>
        <ProblemAlert error={warehouses.error} onRetry={warehouses.reload} />
        <ul>
          {warehouses.data?.items.map((w) => (
            <li key={w.id}>
              <strong>{w.name}</strong> — {w.address}, {w.city}, {w.province}
            </li>
          ))}
        </ul>
      </section>
      <NewWarehouse onSaved={warehouses.reload} />
      <Adjust skus={skus} warehouses={warehouses.data?.items ?? []} onSaved={levels.reload} />
      <section className="panel" aria-labelledby="levels">
        <h2 id="levels">{t("seller.levels")}</h2>
        {levels.loading && <Loading />}
        <ProblemAlert error={levels.error} onRetry={levels.reload} />
        {levels.data?.items.length === 0 && <p>{t("seller.noStock")}</p>}
        {levels.data && levels.data.items.length > 0 && (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("seller.sku")}</th>
                <th scope="col">{t("seller.warehouse")}</th>
                <th scope="col">{t("seller.onHand")}</th>
                <th scope="col">{t("seller.reserved")}</th>
                <th scope="col">{t("seller.availableQty")}</th>
              </tr>
            </thead>
            <tbody>
              {levels.data.items.map((l) => (
                <tr key={`${l.sku}-${l.warehouse_id}`}>
                  <td>{l.sku}</td>
                  <td>{names.get(l.warehouse_id) ?? l.warehouse_id}</td>
                  <td>{l.on_hand}</td>
                  <td>{l.reserved}</td>
                  <td>{l.available}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export default function SellerStock() {
  const { t } = useI18n();
  return <SellerPage title={t("seller.stock")}>{(shop) => <Stock shop={shop} />}</SellerPage>;
}
