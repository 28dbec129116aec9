import { useEffect, useId, useState } from "react";
import { cartToken } from "../api/cart-token.ts";
import { api } from "../api/client.ts";
import { cartChanged } from "../components/header.tsx";
import { Field, Loading, Notice, PageTitle, Price, ProblemAlert, ProductImage } from "../components/ui.tsx";
import { send, useAction, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Cart, Page, Product } from "../lib/api-types.ts";
import { Link } from "../router.tsx";
import { useUser } from "../session.tsx";

interface Review {
  id?: string;
  rating: number;
  text?: string;
  body?: string;
  author_name?: string;
  created_at?: string;
}

function variantLabel(options: Record<string, string>, sku: string): string {
  const parts = Object.entries(options).map(([k, v]) => `${k}: ${v}`);
  return parts.length > 0 ? parts.join(", ") : sku;
}

function Share({ productId }: { productId: string }) {
  const { t } = useI18n();
  const user = useUser();
  const action = useAction();
  const [link, setLink] = useState<string>();
  const [copied, setCopied] = useState(false);
  if (!user) return <p className="muted small">{t("product.signInToShare")}</p>;
  const create = () =>
    action.run(async () => {
      const res = await send<{ short_url: string }>("/api/v1/links", "POST", {
        url: `${location.origin}/p/${productId}`,
      });
      setLink(res.short_url);
    });
  return (
    <div>
      <button type="button" className="btn" onClick={() => void create()} disabled={action.pending}>
        {t("product.share")}
      </button>
      <ProblemAlert error={action.error} />
      {link && (
        <p role="status">
          {t("product.shareCreated")} <a href={link}>{link}</a>{" "}
          <button
            type="button"
            className="btn"
            onClick={() =>
              void navigator.clipboard?.writeText(link).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? t("product.copied") : t("product.copy")}
          </button>
        </p>
      )}
    </div>
  );
}

function Wishlist({ productId }: { productId: string }) {
  const { t } = useI18n();
  const user = useUser();
  const list = useApi<Page<{ product_id: string }>>(user ? "/api/v1/me/wishlist?limit=100" : null);
  const action = useAction();
  if (!user) return null;
  const saved = list.data?.items.some((i) => i.product_id === productId) ?? false;
  const toggle = () =>
    action.run(async () => {
      await send(`/api/v1/me/wishlist/${encodeURIComponent(productId)}`, saved ? "DELETE" : "PUT");
      list.reload();
    });
  return (
    <>
      <button
        type="button"
        className="btn"
        aria-pressed={saved}
        onClick={() => void toggle()}
        disabled={action.pending || list.loading}
      >
        {saved ? `♥ ${t("product.wishlistRemove")}` : `♡ ${t("product.wishlistAdd")}`}
      </button>
      <ProblemAlert error={action.error} />
    </>
  );
}

function Reviews({ productId }: { productId: string }) {
  const { t, date } = useI18n();
  const reviews = useApi<Page<Review>>(`/api/v1/products/${encodeURIComponent(productId)}/reviews`);
  return (
    <section className="panel" aria-labelledby="reviews">
      <h2 id="reviews">{t("product.reviews")}</h2>
      {reviews.loading && <Loading />}
      <ProblemAlert error={reviews.error} onRetry={reviews.reload} />
      {reviews.data?.items.length === 0 && <p className="muted">{t("product.noRating")}</p>}
      <ul>
        {reviews.data?.items.map((r, i) => (
          <li key={r.id ?? i}>
            <span className="stars" role="img" aria-label={t("review.star", { n: r.rating })}>
              {"★".repeat(r.rating)}
              {"☆".repeat(Math.max(0, 5 - r.rating))}
            </span>{" "}
            {r.author_name && <strong>{r.author_name}</strong>}{" "}
            {r.created_at && <span className="muted small">{date(r.created_at)}</span>}
            <p>{r.text ?? r.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function ProductPage({ params }: { params: Record<string, string> }) {
  const { t, tx } = useI18n();
  const id = params.id ?? "";
  const product = useApi<Product>(`/api/v1/products/${encodeURIComponent(id)}`);
  const [variantId, setVariantId] = useState<string>();
  const [quantity, setQuantity] = useState("1");
  const [added, setAdded] = useState(false);
  const add = useAction();
  const groupId = useId();
  const p = product.data;
  useEffect(() => {
    if (p && !variantId)
      setVariantId(p.variants.find((v) => v.stock_status !== "out_of_stock")?.id ?? p.variants[0]?.id);
  }, [p, variantId]);
  if (product.loading) return <Loading />;
  if (!p) return <ProblemAlert error={product.error} onRetry={product.reload} />;
  const variant = p.variants.find((v) => v.id === variantId) ?? p.variants[0];
  const addToCart = () =>
    add.run(async () => {
      if (!variant) return;
      setAdded(false);
      const cart = await api<Cart>("/api/v1/cart/items", {
        method: "POST",
        body: { variant_id: variant.id, quantity: Number(quantity) },
      });
      if (cart.cart_token) cartToken.set(cart.cart_token);
      setAdded(true);
      cartChanged();
    });
  return (
    <article className="product">
      <ProductImage src={p.images[0]} title={p.title} size="hero" />
      <div>
        <PageTitle>{p.title}</PageTitle>
        <p className="muted small">
          {tx(`product.condition.${p.condition}`, p.condition)} ·{" "}
          {p.rating.count > 0
            ? t("product.rating", { average: p.rating.average.toFixed(1), count: p.rating.count })
            : t("product.noRating")}
          {p.sold_count ? ` · ${t("product.sold", { count: p.sold_count })}` : ""}
        </p>
        {variant && (
          <p>
            <Price price={variant.price} base={variant.base_price} />
          </p>
        )}
        {variant && <p>{tx(`product.stock.${variant.stock_status}`, variant.stock_status)}</p>}
        {p.variants.length > 1 && (
          <fieldset>
            <legend>{t("product.variant")}</legend>
            {p.variants.map((v) => (
              <div className="check" key={v.id}>
                <input
                  type="radio"
                  id={`${groupId}-${v.id}`}
                  name={`${groupId}-variant`}
                  checked={v.id === variant?.id}
                  onChange={() => setVariantId(v.id)}
                />
                <label htmlFor={`${groupId}-${v.id}`}>{variantLabel(v.options, v.sku)}</label>
              </div>
            ))}
          </fieldset>
        )}
        <div className="row">
          <Field
            label={t("product.quantity")}
            type="number"
            min={1}
            max={999}
            className="qty"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
          <div className="field">
            <button
              type="button"
              className="btn primary"
              onClick={() => void addToCart()}
              disabled={add.pending || !variant || variant.stock_status === "out_of_stock"}
            >
              {t("product.addToCart")}
            </button>
          </div>
        </div>
        <ProblemAlert error={add.error} />
        {added && (
          <Notice>
            {t("product.added")} <Link href="/cart">{t("product.viewCart")}</Link>
          </Notice>
        )}
        <div className="row">
          <Wishlist productId={p.id} />
          <Share productId={p.id} />
        </div>
        {p.shop && (
          <section className="panel" aria-labelledby="shop">
            <h2 id="shop">{t("product.shop")}</h2>
            <p>
              <strong>{p.shop.name}</strong> · {p.shop.city}
            </p>
            <Link href={`/shop/${encodeURIComponent(p.shop.slug)}`}>
              {t("product.visitShop", { name: p.shop.name })}
            </Link>
          </section>
        )}
        <section aria-labelledby="desc">
          <h2 id="desc">{t("product.description")}</h2>
          <p style={{ whiteSpace: "pre-line" }}>{p.description}</p>
          <p className="muted small">{t("product.weight", { grams: p.weight_grams })}</p>
        </section>
        <Reviews productId={p.id} />
      </div>
    </article>
  );
}
