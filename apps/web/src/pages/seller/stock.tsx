import { type FormEvent, useState } from "react";
import { SellerPage } from "../../components/seller-layout.tsx";
import { Field, Loading, Notice, ProblemAlert, SelectField } from "../../components/ui.tsx";
import { send, useAction, useApi } from "../../components/use-api.ts";
import { useFormState } from "../../components/use-form.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import type { Page, Product, Shop } from "../../lib/api-types.ts";
import {
  availableAt,
  type Level,
  readTransfers,
  type Transfer,
  trackTransfers,
  transferProblem,
} from "../../lib/stock-transfer.ts";

export interface Warehouse {
  id: string;
  name: string;
  address: string;
  city: string;
  province: string;
  is_default: boolean;
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
    <form className="panel" onSubmit={submit} aria-labelledby="adjust-stock">
      <h2 id="adjust-stock">{t("seller.adjust")}</h2>
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

const transfersKey = (shop: Shop) => `toko.transfers.${shop.id}`;

/**
 * Moves units between two of the shop's warehouses: they leave the source at once and are in
 * transit until received at the destination. The API lists no transfers, so the ones in transit
 * are kept in this browser until received.
 */
function Transfers({
  shop,
  skus,
  warehouses,
  levels,
  onMoved,
}: {
  shop: Shop;
  skus: string[];
  warehouses: Warehouse[];
  levels: Level[];
  onMoved: () => void;
}) {
  const { t } = useI18n();
  const { form, setForm, bind: set } = useFormState({ sku: "", from: "", to: "", quantity: "" });
  const [kept, setKept] = useState<Transfer[]>(() => readTransfers(localStorage.getItem(transfersKey(shop))));
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [done, setDone] = useState<string>();
  const [local, setLocal] = useState<string>();
  const action = useAction();
  const name = (id: string) => warehouses.find((w) => w.id === id)?.name ?? id;
  const choice = {
    sku: form.sku || skus[0] || "",
    from: form.from || warehouses[0]?.id || "",
    to: form.to || warehouses.find((w) => w.id !== (form.from || warehouses[0]?.id))?.id || "",
    quantity: form.quantity,
  };
  const keep = (update: Transfer) =>
    setKept((list) => {
      const next = trackTransfers(list, update);
      localStorage.setItem(transfersKey(shop), JSON.stringify(next));
      return next;
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    const problem = transferProblem(choice, levels);
    if (problem) {
      setLocal(
        t(`transfer.problem.${problem}`, {
          warehouse: name(choice.from),
          count: availableAt(levels, choice.sku, choice.from),
        }),
      );
      return;
    }
    setLocal(undefined);
    void action.run(async () => {
      // One key per intended transfer: a retry after a lost answer cannot move the units twice.
      const transfer = await send<Transfer>(
        "/api/v1/seller/stock/transfers",
        "POST",
        {
          sku: choice.sku,
          from_warehouse_id: choice.from,
          to_warehouse_id: choice.to,
          quantity: Number(choice.quantity),
        },
        key,
      );
      setKey(crypto.randomUUID());
      setForm((f) => ({ ...f, quantity: "" }));
      keep(transfer);
      setDone(
        t("transfer.sent", {
          quantity: transfer.quantity,
          sku: transfer.sku,
          from: name(transfer.from_warehouse_id),
          to: name(transfer.to_warehouse_id),
        }),
      );
      onMoved();
    });
  };
  const receive = (tr: Transfer) =>
    void action.run(async () => {
      const received = await send<Transfer>(
        `/api/v1/seller/stock/transfers/${encodeURIComponent(tr.id)}/receive`,
        "POST",
      );
      keep(received);
      setDone(t("transfer.received", { quantity: tr.quantity, sku: tr.sku, to: name(tr.to_warehouse_id) }));
      onMoved();
    });
  return (
    <section className="panel" aria-labelledby="transfer-stock">
      <h2 id="transfer-stock">{t("transfer.title")}</h2>
      {warehouses.length < 2 ? (
        <p className="muted">{t("transfer.needTwo")}</p>
      ) : (
        <form onSubmit={submit} aria-labelledby="transfer-stock">
          <div className="row">
            <SelectField label={t("transfer.sku")} value={choice.sku} onChange={set("sku")} required>
              {skus.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </SelectField>
            <SelectField label={t("transfer.from")} value={choice.from} onChange={set("from")} required>
              {warehouses.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </SelectField>
            <SelectField label={t("transfer.to")} value={choice.to} onChange={set("to")} required>
              {warehouses.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </SelectField>
            <Field
              label={t("transfer.quantity")}
              type="number"
              min={1}
              value={form.quantity}
              onChange={set("quantity")}
              required
              hint={t("transfer.available", {
                count: availableAt(levels, choice.sku, choice.from),
                warehouse: name(choice.from),
              })}
            />
          </div>
          {local && (
            <p className="alert" role="alert">
              {local}
            </p>
          )}
          <button type="submit" className="btn primary" disabled={action.pending || skus.length === 0}>
            {t("transfer.submit")}
          </button>
        </form>
      )}
      <ProblemAlert error={action.error} />
      {done && <Notice>{done}</Notice>}
      {kept.length > 0 && (
        <>
          <h3>{t("transfer.inTransit")}</h3>
          <ul style={{ listStyle: "none", padding: 0 }}>
            {kept.map((tr) => (
              <li key={tr.id} className="line">
                <span className="line-body">
                  {t("transfer.item", {
                    quantity: tr.quantity,
                    sku: tr.sku,
                    from: name(tr.from_warehouse_id),
                    to: name(tr.to_warehouse_id),
                  })}
                </span>
                <button type="button" className="btn" onClick={() => receive(tr)} disabled={action.pending}>
                  {t("transfer.receive", {
                    quantity: tr.quantity,
                    sku: tr.sku,
                    to: name(tr.to_warehouse_id),
                  })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
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
      <Transfers
        shop={shop}
        skus={skus}
        warehouses={warehouses.data?.items ?? []}
        levels={levels.data?.items ?? []}
        onMoved={levels.reload}
      />
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
