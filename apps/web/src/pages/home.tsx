import { query } from "../api/client.ts";
import { Loading, PageTitle, ProblemAlert, ProductCard } from "../components/ui.tsx";
import { useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Category, Page, Product } from "../lib/api-types.ts";
import { Link, useQuery } from "../router.tsx";

/** The variant a card shows: the cheapest. */
export function cardVariant(p: Product) {
  return [...p.variants].sort((a, b) => a.price.amount - b.price.amount)[0];
}

export function ProductGrid({ products }: { products: Product[] }) {
  return (
    <ul className="grid">
      {products.map((p) => {
        const v = cardVariant(p);
        if (!v) return null;
        return (
          <ProductCard
            key={p.id}
            id={p.id}
            title={p.title}
            price={v.price}
            base={v.base_price}
            image={p.images[0]}
            city={p.shop?.city}
            rating={p.rating.count > 0 ? p.rating.average : undefined}
          />
        );
      })}
    </ul>
  );
}

export default function Home() {
  const { t } = useI18n();
  const category = useQuery().get("category") ?? "";
  const categories = useApi<{ items: Category[] }>("/api/v1/categories");
  const products = useApi<Page<Product>>(`/api/v1/products${query({ category, limit: 20 })}`);
  const current = categories.data?.items.flatMap((c) => [c, ...c.children]).find((c) => c.id === category);
  return (
    <>
      <PageTitle>{current ? t("home.category", { name: current.name }) : "Toko"}</PageTitle>
      <section aria-labelledby="promos">
        <h2 id="promos">{t("home.promotions")}</h2>
        <div className="promos">
          <Link
            href={`/search${query({ category: categories.data?.items[0]?.id ?? "", sort: "price_asc" })}`}
            className="promo"
          >
            <h3>{t("home.promo.flashSale")}</h3>
            <p>{t("home.promo.flashSaleBody")}</p>
          </Link>
          <Link href="/cart" className="promo alt">
            <h3>{t("home.promo.freeShipping")}</h3>
            <p>{t("home.promo.freeShippingBody")}</p>
          </Link>
        </div>
      </section>
      <section aria-labelledby="cats">
        <h2 id="cats">{t("home.categories")}</h2>
        {categories.error ? <ProblemAlert error={categories.error} onRetry={categories.reload} /> : null}
        <ul className="chips">
          {(current?.children.length ? current.children : (categories.data?.items ?? [])).map((c) => (
            <li key={c.id}>
              <Link href={`/?category=${encodeURIComponent(c.id)}`}>{c.name}</Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="latest">
        <h2 id="latest">{t("home.latest")}</h2>
        {products.loading && <Loading />}
        <ProblemAlert error={products.error} onRetry={products.reload} />
        {products.data && <ProductGrid products={products.data.items} />}
      </section>
    </>
  );
}
