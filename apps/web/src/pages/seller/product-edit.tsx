import { type FormEvent, useEffect, useState } from "react";
import { noteStatus } from "../../components/kept-drafts.ts";
import { SellerPage } from "../../components/seller-layout.tsx";
import { Field, Loading, Notice, ProblemAlert, SelectField, TextAreaField } from "../../components/ui.tsx";
import { send, useAction, useApi } from "../../components/use-api.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import type { Category, Product, Shop } from "../../lib/api-types.ts";
import { formatMoney, parseRupiah } from "../../lib/money.ts";
import {
  categoryLeaves,
  type DetailsDraft,
  detailsOf,
  detailsPatch,
  localInputToIso,
  newRow,
  rowsOf,
  type Schedule,
  scheduleState,
  type VariantProblem,
  type VariantRow,
  variantsPayload,
} from "../../lib/product-edit.ts";
import { Link } from "../../router.tsx";

type Section = "details" | "variants" | "status";
/** Hands the saved product up; the forms are remounted from it, so the notice is kept up there. */
type Saved = (p: Product, section: Section) => void;
const productPath = (id: string) => `/api/v1/products/${encodeURIComponent(id)}`;

function Details({ product, onSaved, justSaved }: { product: Product; onSaved: Saved; justSaved: boolean }) {
  const { t } = useI18n();
  const categories = useApi<{ items: Category[] }>("/api/v1/categories");
  const [draft, setDraft] = useState<DetailsDraft>(() => detailsOf(product));
  const [note, setNote] = useState<"none">();
  const action = useAction();
  const set = (k: keyof DetailsDraft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNote(undefined);
    const patch = detailsPatch(product, draft);
    if (Object.keys(patch).length === 0) {
      setNote("none");
      return;
    }
    void action.run(async () => {
      onSaved(await send<Product>(productPath(product.id), "PATCH", patch), "details");
    });
  };
  const leaves = categoryLeaves(categories.data?.items ?? []);
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="edit-details">
      <h2 id="edit-details">{t("edit.details")}</h2>
      <Field
        label={t("seller.title_")}
        value={draft.title}
        onChange={set("title")}
        required
        maxLength={200}
      />
      <TextAreaField
        label={t("seller.description")}
        value={draft.description}
        onChange={set("description")}
        rows={4}
      />
      <SelectField
        label={t("seller.category")}
        value={draft.category_id}
        onChange={set("category_id")}
        required
      >
        {!leaves.some((c) => c.id === draft.category_id) && (
          <option value={draft.category_id}>{draft.category_id}</option>
        )}
        {leaves.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("seller.condition")} value={draft.condition} onChange={set("condition")}>
        <option value="new">{t("product.condition.new")}</option>
        <option value="used">{t("product.condition.used")}</option>
      </SelectField>
      <Field
        label={t("seller.weight")}
        type="number"
        min={1}
        value={draft.weight_grams}
        onChange={set("weight_grams")}
        required
      />
      <TextAreaField
        label={t("edit.images")}
        hint={t("edit.imagesHint")}
        value={draft.images}
        onChange={set("images")}
        rows={3}
        inputMode="url"
      />
      <ProblemAlert error={action.error ?? categories.error} />
      {justSaved && <Notice>{t("edit.saved")}</Notice>}
      {note === "none" && <Notice>{t("edit.noChanges")}</Notice>}
      <button type="submit" className="btn primary" disabled={action.pending}>
        {t("edit.saveDetails")}
      </button>
    </form>
  );
}

function Status({ product, onSaved, justSaved }: { product: Product; onSaved: Saved; justSaved: boolean }) {
  const { t } = useI18n();
  const [status, setStatus] = useState(product.status === "draft" ? "draft" : "active");
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const save = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      onSaved(await send<Product>(productPath(product.id), "PATCH", { status }), "status");
    });
  };
  const archive = () =>
    void action.run(async () => {
      onSaved(await send<Product>(productPath(product.id), "DELETE"), "status");
    });
  return (
    <section className="panel" aria-labelledby="edit-status">
      <h2 id="edit-status">{t("edit.statusSection")}</h2>
      <form className="row" onSubmit={save}>
        <SelectField label={t("edit.status")} value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="active">{t("edit.status.active")}</option>
          <option value="draft">{t("edit.status.draft")}</option>
        </SelectField>
        <div className="field">
          <button type="submit" className="btn" disabled={action.pending}>
            {t("edit.saveStatus")}
          </button>
        </div>
      </form>
      {status === "draft" && <p className="muted small">{t("edit.draftNote")}</p>}
      {justSaved && <Notice>{t("edit.saved")}</Notice>}
      <ProblemAlert error={action.error} />
      {confirming ? (
        <div className="alert" role="alertdialog" aria-labelledby="archive-q">
          <p id="archive-q">{t("edit.archiveConfirm", { title: product.title })}</p>
          <div className="row">
            <button type="button" className="btn danger" onClick={archive} disabled={action.pending}>
              {t("edit.archiveYes", { title: product.title })}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              {t("edit.archiveNo")}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="btn danger" onClick={() => setConfirming(true)}>
          {t("edit.archive")}
        </button>
      )}
    </section>
  );
}

function problemWords(p: VariantProblem, t: ReturnType<typeof useI18n>["t"]): string {
  switch (p.kind) {
    case "noActive":
      return t("edit.problem.noActive");
    case "skuMissing":
      return t("edit.problem.skuMissing", { row: p.row });
    case "skuRepeated":
      return t("edit.problem.skuRepeated", { sku: p.sku });
    case "badPrice":
      return t("edit.problem.badPrice", { sku: p.sku });
    case "optionIncomplete":
      return t("edit.problem.optionIncomplete", { row: p.row });
  }
}

function Variants({ product, onSaved, justSaved }: { product: Product; onSaved: Saved; justSaved: boolean }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<VariantRow[]>(() => rowsOf(product));
  const [added, setAdded] = useState(0);
  const [problems, setProblems] = useState<string[]>([]);
  const action = useAction();
  const update = (key: string, change: Partial<VariantRow>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const setOption = (key: string, i: number, part: "name" | "value", value: string) =>
    setRows((rs) =>
      rs.map((r) =>
        r.key === key
          ? { ...r, options: r.options.map((o, j) => (j === i ? { ...o, [part]: value } : o)) }
          : r,
      ),
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const payload = variantsPayload(rows);
    if (!payload.ok) {
      setProblems(payload.problems.map((p) => problemWords(p, t)));
      return;
    }
    setProblems([]);
    void action.run(async () => {
      onSaved(
        await send<Product>(productPath(product.id), "PATCH", { variants: payload.variants }),
        "variants",
      );
    });
  };
  let newNumber = 0;
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="edit-variants">
      <h2 id="edit-variants">{t("edit.variants")}</h2>
      <p className="muted small">{t("edit.variantsHint")}</p>
      {rows.map((r) => {
        if (!r.existing) newNumber += 1;
        const name = r.existing ? t("edit.variant", { sku: r.sku }) : t("edit.newVariant", { n: newNumber });
        const current = product.variants.find((v) => v.id === r.key);
        return (
          <fieldset key={r.key} className={r.active ? undefined : "inactive"}>
            <legend>{name}</legend>
            <div className="row">
              {!r.existing && (
                <Field
                  label={t("seller.sku")}
                  value={r.sku}
                  onChange={(e) => update(r.key, { sku: e.target.value })}
                  required
                  maxLength={64}
                />
              )}
              {r.options.map((o, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: option pairs have no identity of their own
                <span className="row" key={i}>
                  <Field
                    label={t("edit.optionName")}
                    value={o.name}
                    onChange={(e) => setOption(r.key, i, "name", e.target.value)}
                    disabled={!r.active}
                  />
                  <Field
                    label={t("edit.optionValue")}
                    value={o.value}
                    onChange={(e) => setOption(r.key, i, "value", e.target.value)}
                    disabled={!r.active}
                  />
                </span>
              ))}
              <Field
                label={t("seller.price")}
                inputMode="numeric"
                value={r.price}
                onChange={(e) => update(r.key, { price: e.target.value })}
                disabled={!r.active}
                required
              />
            </div>
            {current && current.price.amount !== (current.base_price ?? current.price).amount && (
              <p className="muted small">{t("edit.nowSelling", { price: formatMoney(current.price) })}</p>
            )}
            {r.existing ? (
              <label className="check">
                <input
                  type="checkbox"
                  checked={r.active}
                  onChange={(e) => update(r.key, { active: e.target.checked })}
                />
                {t("edit.active")}
              </label>
            ) : (
              <button
                type="button"
                className="btn danger"
                onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
              >
                {t("edit.removeNew", { n: newNumber })}
              </button>
            )}
            {!r.active && <p className="muted small">{t("edit.inactiveNote")}</p>}
          </fieldset>
        );
      })}
      <button
        type="button"
        className="btn"
        onClick={() => {
          setAdded((n) => n + 1);
          setRows((rs) => [...rs, newRow(rs, added + 1)]);
        }}
      >
        {t("edit.addVariant")}
      </button>
      {problems.length > 0 && (
        <div className="alert" role="alert">
          <p>{t("problem.VALIDATION_FAILED")}</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <ProblemAlert error={action.error} />
      {justSaved && <Notice>{t("edit.saved")}</Notice>}
      <div className="row">
        <button type="submit" className="btn primary" disabled={action.pending}>
          {t("edit.saveVariants")}
        </button>
      </div>
    </form>
  );
}

function Schedules({ product }: { product: Product }) {
  const { t, date, tx } = useI18n();
  const list = useApi<{ items: Schedule[] }>(`${productPath(product.id)}/price-schedules`);
  const [form, setForm] = useState({
    sku: product.variants[0]?.sku ?? "",
    kind: "price",
    value: "",
    starts_at: "",
    ends_at: "",
  });
  const [done, setDone] = useState(false);
  const [local, setLocal] = useState<string>();
  const action = useAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const startsAt = localInputToIso(form.starts_at);
    if (!startsAt) {
      setLocal(t("edit.problem.badDate"));
      return;
    }
    setLocal(undefined);
    const endsAt = localInputToIso(form.ends_at);
    void action.run(async () => {
      await send(`${productPath(product.id)}/price-schedules`, "POST", {
        sku: form.sku,
        ...(form.kind === "price"
          ? { price: { amount: parseRupiah(form.value) ?? -1, currency: "IDR" } }
          : { percent_off: Number.isInteger(Number(form.value)) ? Number(form.value) : -1 }),
        starts_at: startsAt,
        ...(endsAt ? { ends_at: endsAt } : {}),
      });
      setForm((f) => ({ ...f, value: "", starts_at: "", ends_at: "" }));
      setDone(true);
      list.reload();
    });
  };
  const now = new Date();
  return (
    <section className="panel" aria-labelledby="edit-schedules">
      <h2 id="edit-schedules">{t("edit.schedules")}</h2>
      {list.loading && <Loading />}
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.data?.items.length === 0 && <p>{t("edit.noSchedules")}</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("seller.sku")}</th>
                <th scope="col">{t("edit.discount")}</th>
                <th scope="col">{t("edit.starts")}</th>
                <th scope="col">{t("edit.ends")}</th>
                <th scope="col">{t("edit.state")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.id}>
                  <td>{s.sku}</td>
                  <td>
                    {s.price ? formatMoney(s.price) : t("edit.percentOff", { percent: s.percent_off ?? 0 })}
                  </td>
                  <td>{date(s.starts_at)}</td>
                  <td>{s.ends_at ? date(s.ends_at) : t("edit.openEnded")}</td>
                  <td>{tx(`edit.state.${scheduleState(s, now)}`, scheduleState(s, now))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={submit} aria-labelledby="edit-add-schedule">
        <h3 id="edit-add-schedule">{t("seller.addSchedule")}</h3>
        <div className="row">
          <SelectField label={t("seller.sku")} value={form.sku} onChange={set("sku")}>
            {product.variants.map((v) => (
              <option key={v.id} value={v.sku}>
                {v.sku}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("edit.kind")} value={form.kind} onChange={set("kind")}>
            <option value="price">{t("edit.kind.price")}</option>
            <option value="percent">{t("edit.kind.percent")}</option>
          </SelectField>
          <Field
            label={form.kind === "price" ? t("edit.salePrice") : t("edit.percent")}
            inputMode="numeric"
            value={form.value}
            onChange={set("value")}
            required
          />
          <Field
            label={t("seller.startsAt")}
            type="datetime-local"
            value={form.starts_at}
            onChange={set("starts_at")}
            required
          />
          <Field
            label={t("seller.endsAt")}
            type="datetime-local"
            value={form.ends_at}
            onChange={set("ends_at")}
          />
        </div>
        {local && (
          <p className="alert" role="alert">
            {local}
          </p>
        )}
        <ProblemAlert error={action.error} />
        {done && <Notice>{t("seller.scheduled")}</Notice>}
        <button type="submit" className="btn" disabled={action.pending || product.variants.length === 0}>
          {t("seller.addSchedule")}
        </button>
      </form>
    </section>
  );
}

function Editor({ shop, id }: { shop: Shop; id: string }) {
  const { t, tx } = useI18n();
  const loaded = useApi<Product>(productPath(id));
  const [saved, setSaved] = useState<Product>();
  const [version, setVersion] = useState(0);
  const [savedBy, setSavedBy] = useState<Section>();
  const product = saved ?? loaded.data;
  // A draft is missing from the catalog's lists: remember it so the product list can show it.
  useEffect(() => {
    if (product && product.shop_id === shop.id) noteStatus(shop, product.id, product.status);
  }, [shop, product]);
  if (loaded.loading && !product) return <Loading />;
  if (!product) return <ProblemAlert error={loaded.error} onRetry={loaded.reload} />;
  if (product.shop_id !== shop.id)
    return (
      <p className="alert" role="alert">
        {t("edit.notYours")}
      </p>
    );
  const onSaved: Saved = (p, section) => {
    setSaved(p);
    setSavedBy(section);
    setVersion((v) => v + 1);
  };
  const archived = product.status === "archived";
  return (
    <>
      <section className="panel" aria-labelledby="edit-product">
        <h2 id="edit-product">{product.title}</h2>
        <p>
          {t("edit.statusNow", { status: tx(`edit.status.${product.status}`, product.status) })}
          {" · "}
          {product.variants.map((v) => `${v.sku} ${formatMoney(v.price)}`).join(" · ")}
        </p>
        {!archived && (
          <Link href={`/p/${encodeURIComponent(product.id)}`}>
            {t("edit.view", { title: product.title })}
          </Link>
        )}{" "}
        <Link href="/seller/products">{t("edit.back")}</Link>
      </section>
      {archived ? (
        <Notice>{t("edit.archivedNote")}</Notice>
      ) : (
        // Each save remounts the forms from the saved product, so what they show is what is stored.
        <div key={version}>
          <Details product={product} onSaved={onSaved} justSaved={savedBy === "details"} />
          <Variants product={product} onSaved={onSaved} justSaved={savedBy === "variants"} />
          <Schedules product={product} />
          <Status product={product} onSaved={onSaved} justSaved={savedBy === "status"} />
        </div>
      )}
    </>
  );
}

export default function SellerProductEdit({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  return (
    <SellerPage title={t("edit.title")}>{(shop) => <Editor shop={shop} id={params.id ?? ""} />}</SellerPage>
  );
}
