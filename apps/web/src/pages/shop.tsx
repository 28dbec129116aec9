import { Loading, PageTitle, ProblemAlert } from "../components/ui.tsx";
import { useApi } from "../components/use-api.ts";
import type { Page, Product, Shop } from "../lib/api-types.ts";
import { ProductGrid } from "./home.tsx";

export default function ShopPage({ params }: { params: Record<string, string> }) {
  const slug = encodeURIComponent(params.slug ?? "");
  const shop = useApi<Shop>(`/api/v1/shops/${slug}`);
  const products = useApi<Page<Product>>(`/api/v1/products?shop=${slug}&limit=40`);
  if (shop.loading) return <Loading />;
  if (!shop.data) return <ProblemAlert error={shop.error} onRetry={shop.reload} />;
  return (
    <>
      <PageTitle>{shop.data.name}</PageTitle>
      <p className="muted">
        {shop.data.city}, {shop.data.province}
      </p>
      {shop.data.description && <p>{shop.data.description}</p>}
      <ProblemAlert error={products.error} onRetry={products.reload} />
      {products.data && <ProductGrid products={products.data.items} />}
    </>
  );
}
