import { type FormEvent, useEffect, useState } from "react";
import { ApiError } from "../../api/client.ts";
import { keptDrafts, noteStatus } from "../../components/kept-drafts.ts";
import { SellerPage } from "../../components/seller-layout.tsx";
import { Field, Loading, Notice, ProblemAlert, SelectField } from "../../components/ui.tsx";
import { send, useAction, useApi } from "../../components/use-api.ts";
import { useFormState } from "../../components/use-form.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import type { Category, Page, Product, Shop } from "../../lib/api-types.ts";
import { formatMoney, parseRupiah } from "../../lib/money.ts";
import { categoryLeaves } from "../../lib/product-edit.ts";
import { Link } from "../../router.tsx";

interface VariantDraft {
  sku: string;
  optionName: string;
  optionValue: string;
  price: string;
}
const newVariant = (): VariantDraft => ({ sku: "", optionName: "", optionValue: "", price: "" });

function NewProduct({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const categories = useApi<{ items: Category[] }>("/api/v1/categories");
  const {
    form,
    setForm,
    bind: set,
  } = useFormState({
    title: "",
    description: "",
    category_id: "",
    condition: "new",
    weight_grams: "",
  });
  const [variants, setVariants] = useState<VariantDraft[]>([newVariant()]);
  const [done, setDone] = useState(false);
  const action = useAction();
  const setV = (i: number, k: keyof VariantDraft) => (e: { target: { value: string } }) =>
    setVariants((vs) => vs.map((v, j) => (j === i ? { ...v, [k]: e.target.value } : v)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    void action.run(async () => {
      await send("/api/v1/products", "POST", {
        title: form.title.trim(),
        description: form.description.trim(),
        category_id: form.category_id,
        condition: form.condition,
        weight_grams: Number(form.weight_grams),
        variants: variants.map((v) => ({
          sku: v.sku.trim(),
          options: v.optionName.trim() ? { [v.optionName.trim()]: v.optionValue.trim() } : {},
          price: { amount: parseRupiah(v.price) ?? -1, currency: "IDR" },
        })),
      });
      setForm({ title: "", description: "", category_id: "", condition: "new", weight_grams: "" });
      setVariants([newVariant()]);
      setDone(true);
      onCreated();
    });
  };
  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t("seller.newProduct")}</h2>
      <Field label={t("seller.title_")} value={form.title} onChange={set("title")} required maxLength={200} />
      <Field
        label={t("seller.description")}
        value={form.description}
        onChange={set("description")}
        required
      />
      <SelectField
        label={t("seller.category")}
        value={form.category_id}
        onChange={set("category_id")}
        required
      >
        <option value="" disabled>
          —
        </option>
        {categoryLeaves(categories.data?.items ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("seller.condition")} value={form.condition} onChange={set("condition")}>
        <option value="new">{t("product.condition.new")}</option>
        <option value="used">{t("product.condition.used")}</option>
      </SelectField>
      <Field
        label={t("seller.weight")}
        type="number"
        min={1}
        value={form.weight_grams}
        onChange={set("weight_grams")}
        required
      />
      <fieldset>
        <legend>{t("seller.variants")}</legend>
        {variants.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity before they are saved
          <div className="row" key={i}>
            <Field
              label={`${t("seller.sku")} ${i + 1}`}
              value={v.sku}
              onChange={setV(i, "sku")}
              required
              maxLength={64}
            />
            <Field label={t("seller.optionName")} value={v.optionName} onChange={setV(i, "optionName")} />
            <Field label={t("seller.optionValue")} value={v.optionValue} onChange={setV(i, "optionValue")} />
            <Field
              label={t("seller.price")}
              inputMode="numeric"
              value={v.price}
              onChange={setV(i, "price")}
              required
            />
            {variants.length > 1 && (
              <div className="field">
                <button
                  type="button"
                  className="btn danger"
                  onClick={() => setVariants((vs) => vs.filter((_, j) => j !== i))}
                >
                  {t("seller.removeVariant", { n: i + 1 })}
                </button>
              </div>
            )}
          </div>
        ))}
        <button type="button" className="btn" onClick={() => setVariants((vs) => [...vs, newVariant()])}>
          {t("seller.addVariant")}
        </button>
      </fieldset>
      <ProblemAlert error={action.error} />
      {done && <Notice>{t("seller.created")}</Notice>}
      <button type="submit" className="btn primary" disabled={action.pending}>
        {t("seller.createProduct")}
      </button>
    </form>
  );
}

/** A kept draft, read by id (its owner may); dropped from the list once it is no longer a draft. */
function DraftItem({ shop, id }: { shop: Shop; id: string }) {
  const { t } = useI18n();
  const product = useApi<Product>(`/api/v1/products/${encodeURIComponent(id)}`);
  const p = product.data;
  useEffect(() => {
    if (p && p.status !== "draft") noteStatus(shop, p.id, p.status);
  }, [shop, p]);
  if (product.error) {
    if (product.error instanceof ApiError && product.error.status === 404) noteStatus(shop, id, "gone");
    return null;
  }
  if (p?.status !== "draft") return null;
  return (
    <li className="line">
      <div className="line-body">
        <span>{p.title}</span>
        <span className="muted small">
          {p.variants.map((v) => `${v.sku} ${formatMoney(v.price)}`).join(" · ")}
        </span>
      </div>
      <Link href={`/seller/products/${encodeURIComponent(p.id)}`} className="btn">
        {t("edit.link", { title: p.title })}
      </Link>
    </li>
  );
}

function Drafts({ shop }: { shop: Shop }) {
  const { t } = useI18n();
  const [ids] = useState(() => keptDrafts(shop));
  if (ids.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="my-drafts">
      <h2 id="my-drafts">{t("edit.drafts")}</h2>
      <p className="muted small">{t("edit.draftsHint")}</p>
      <ul style={{ listStyle: "none", padding: 0 }}>
        {ids.map((id) => (
          <DraftItem key={id} shop={shop} id={id} />
        ))}
      </ul>
    </section>
  );
}

function Products({ shop }: { shop: Shop }) {
  const { t } = useI18n();
  const products = useApi<Page<Product>>(`/api/v1/products?shop=${encodeURIComponent(shop.id)}&limit=100`);
  const archive = useAction();
  return (
    <>
      <NewProduct onCreated={products.reload} />
      <Drafts shop={shop} />
      <section className="panel" aria-labelledby="my-products">
        <h2 id="my-products">{t("seller.products")}</h2>
        {products.loading && <Loading />}
        <ProblemAlert error={products.error ?? archive.error} onRetry={products.reload} />
        {products.data?.items.length === 0 && <p>{t("seller.noProducts")}</p>}
        <ul style={{ listStyle: "none", padding: 0 }}>
          {products.data?.items.map((p) => (
            <li key={p.id} className="line">
              <div className="line-body">
                <Link href={`/p/${encodeURIComponent(p.id)}`}>{p.title}</Link>
                <span className="muted small">
                  {p.variants.map((v) => `${v.sku} ${formatMoney(v.price)}`).join(" · ")}
                </span>
              </div>
              <Link href={`/seller/products/${encodeURIComponent(p.id)}`} className="btn">
                {t("edit.link", { title: p.title })}
              </Link>
              <button
                type="button"
                className="btn danger"
                onClick={() =>
                  void archive.run(async () => {
                    await send(`/api/v1/products/${encodeURIComponent(p.id)}`, "DELETE");
                    products.reload();
                  })
                }
              >
                {t("seller.archive", { title: p.title })}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export default function SellerProducts() {
  const { t } = useI18n();
  return <SellerPage title={t("seller.products")}>{(shop) => <Products shop={shop} />}</SellerPage>;
}
