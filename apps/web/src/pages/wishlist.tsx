import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { Loading, PageTitle, Price, ProblemAlert, ProductImage, RequireSignIn } from "../components/ui.tsx";
import { send, useAction, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Page, Product } from "../lib/api-types.ts";
import { Link } from "../router.tsx";
import { cardVariant } from "./home.tsx";

function Wishlist() {
  const { t } = useI18n();
  const list = useApi<Page<{ product_id: string }>>("/api/v1/me/wishlist?limit=100");
  const [products, setProducts] = useState<Product[]>([]);
  const action = useAction();
  useEffect(() => {
    if (!list.data) return;
    let live = true;
    Promise.all(
      list.data.items.map((i) =>
        api<Product>(`/api/v1/products/${encodeURIComponent(i.product_id)}`).catch(() => undefined),
      ),
    ).then((ps) => live && setProducts(ps.filter((p): p is Product => p !== undefined)));
    return () => {
      live = false;
    };
  }, [list.data]);
  return (
    <>
      <PageTitle>{t("wishlist.title")}</PageTitle>
      {list.loading && <Loading />}
      <ProblemAlert error={list.error ?? action.error} onRetry={list.reload} />
      {list.data?.items.length === 0 && <p>{t("wishlist.empty")}</p>}
      <ul className="grid">
        {products.map((p) => {
          const v = cardVariant(p);
          return (
            <li key={p.id} className="card">
              <Link href={`/p/${encodeURIComponent(p.id)}`} className="card-link">
                <ProductImage src={p.images[0]} title={p.title} />
                <span className="card-title">{p.title}</span>
              </Link>
              {v && <Price price={v.price} base={v.base_price} />}
              <button
                type="button"
                className="btn danger"
                onClick={() =>
                  void action.run(async () => {
                    await send(`/api/v1/me/wishlist/${encodeURIComponent(p.id)}`, "DELETE");
                    list.reload();
                  })
                }
              >
                {t("wishlist.remove", { title: p.title })}
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}

export default function WishlistPage() {
  return (
    <RequireSignIn>
      <Wishlist />
    </RequireSignIn>
  );
}
