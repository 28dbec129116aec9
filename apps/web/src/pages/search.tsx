import { type FormEvent, useEffect, useState } from "react";
import { api, query } from "../api/client.ts";
import { Field, Loading, PageTitle, ProblemAlert, ProductCard, SelectField } from "../components/ui.tsx";
import { isMissingRoute, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Category } from "../lib/api-types.ts";
import type { Money } from "../lib/money.ts";
import { navigate, useQuery } from "../router.tsx";

interface Hit {
  id: string;
  title: string;
  price: Money;
  rating?: number | { average: number };
  shop?: string | { name: string };
  city?: string;
  image_url?: string | null;
}
interface FacetValue {
  value?: string;
  key?: string;
  id?: string;
  label?: string;
  name?: string;
  count?: number;
}
interface Results {
  items: Hit[];
  facets?: Record<string, FacetValue[] | unknown>;
  total?: number;
  next_cursor: string | null;
  corrected_query?: string | null;
}

const SORTS = ["relevance", "price_asc", "price_desc", "newest", "best_selling"] as const;
const FILTERS = [
  "q",
  "category",
  "min_price",
  "max_price",
  "min_rating",
  "city",
  "in_stock",
  "sort",
] as const;

function facetList(v: unknown): { value: string; label: string; count?: number }[] {
  if (!Array.isArray(v)) return [];
  return (v as FacetValue[])
    .map((f) => ({
      value: String(f.value ?? f.key ?? f.id ?? f.name ?? ""),
      label: String(f.label ?? f.name ?? f.value ?? f.key ?? ""),
      count: f.count,
    }))
    .filter((f) => f.value !== "");
}

export default function Search() {
  const { t } = useI18n();
  const params = useQuery();
  const current = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ""])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  // The search needs words or a category; without either there is nothing to ask yet.
  const path = current.q || current.category ? `/api/v1/search${query(current)}` : null;
  const first = useApi<Results>(path);
  const categories = useApi<{ items: Category[] }>("/api/v1/categories");
  const [more, setMore] = useState<Hit[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>();
  useEffect(() => {
    setMore([]);
    setCursor(first.data?.next_cursor ?? null);
  }, [first.data]);
  const [form, setForm] = useState(current);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form follows the URL
  useEffect(() => setForm(current), [params.toString()]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/search${query({ ...form, in_stock: form.in_stock === "true" ? "true" : "" })}`);
  };
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await api<Results>(`/api/v1/search${query({ ...current, cursor })}`);
      setMore((m) => [...m, ...page.items]);
      setCursor(page.next_cursor);
    } catch (e) {
      setMoreError(e);
    }
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const hits = [...(first.data?.items ?? []), ...more];
  const cityFacet = facetList(first.data?.facets?.city);
  const categoryFacet = facetList(first.data?.facets?.category);
  const allCategories = (categories.data?.items ?? []).flatMap((c) => [c, ...c.children]);

  return (
    <>
      <PageTitle>
        {current.q
          ? t("search.results", { count: first.data?.total ?? hits.length, q: current.q })
          : t("search.resultsAll", { count: first.data?.total ?? hits.length })}
      </PageTitle>
      <div className="layout filters">
        <form className="panel" onSubmit={apply} aria-label={t("search.filters")}>
          <h2>{t("search.filters")}</h2>
          <SelectField label={t("search.sort")} value={form.sort || "relevance"} onChange={set("sort")}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`search.sort.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("search.category")} value={form.category} onChange={set("category")}>
            <option value="">{t("search.any")}</option>
            {(categoryFacet.length > 0
              ? categoryFacet
              : allCategories.map((c) => ({ value: c.id, label: c.name, count: undefined }))
            ).map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
                {c.count !== undefined ? ` (${c.count})` : ""}
              </option>
            ))}
          </SelectField>
          {cityFacet.length > 0 ? (
            <SelectField label={t("search.city")} value={form.city} onChange={set("city")}>
              <option value="">{t("search.any")}</option>
              {cityFacet.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                  {c.count !== undefined ? ` (${c.count})` : ""}
                </option>
              ))}
            </SelectField>
          ) : (
            <Field label={t("search.city")} value={form.city} onChange={set("city")} />
          )}
          <Field
            label={t("search.minPrice")}
            inputMode="numeric"
            value={form.min_price}
            onChange={set("min_price")}
          />
          <Field
            label={t("search.maxPrice")}
            inputMode="numeric"
            value={form.max_price}
            onChange={set("max_price")}
          />
          <SelectField label={t("search.minRating")} value={form.min_rating} onChange={set("min_rating")}>
            <option value="">{t("search.any")}</option>
            {[4, 3, 2, 1].map((r) => (
              <option key={r} value={r}>
                {`★ ${r}+`}
              </option>
            ))}
          </SelectField>
          <div className="check">
            <input
              id="in-stock"
              type="checkbox"
              checked={form.in_stock === "true"}
              onChange={(e) => setForm((f) => ({ ...f, in_stock: e.target.checked ? "true" : "" }))}
            />
            <label htmlFor="in-stock">{t("search.inStock")}</label>
          </div>
          <div className="row">
            <button type="submit" className="btn primary">
              {t("search.apply")}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => navigate(`/search${query({ q: current.q })}`)}
            >
              {t("search.clear")}
            </button>
          </div>
        </form>
        <section aria-live="polite">
          {first.loading && <Loading />}
          {first.error !== undefined &&
            (isMissingRoute(first.error) ? (
              <p className="alert" role="alert">
                {t("search.unavailable")}
              </p>
            ) : (
              <ProblemAlert error={first.error} onRetry={first.reload} />
            ))}
          {path === null && <p>{t("search.prompt")}</p>}
          {first.data?.corrected_query && <p>{t("search.corrected", { q: first.data.corrected_query })}</p>}
          {first.data && hits.length === 0 && <p>{t("search.none")}</p>}
          <ul className="grid">
            {hits.map((h) => (
              <ProductCard
                key={h.id}
                id={h.id}
                title={h.title}
                price={h.price}
                image={h.image_url}
                city={h.city}
                rating={typeof h.rating === "number" ? h.rating : h.rating?.average}
              />
            ))}
          </ul>
          <ProblemAlert error={moreError} />
          {cursor && (
            <button type="button" className="btn" onClick={() => void loadMore()}>
              {t("search.more")}
            </button>
          )}
        </section>
      </div>
    </>
  );
}
