import {
  GetMyShopResponse,
  GetVariantsBySkuResponse,
  type ProductServiceServer,
  ProductServiceService,
} from "@toko/contracts/toko/product/v1/product";
import { createLogger, DomainError, implement, type RunningService, startService } from "@toko/kit";
import { TEST_INTERNAL_SECRET } from "@toko/testing";

/** A shop in the stand-in catalog: its owner and the SKUs of its products. */
export interface CatalogShop {
  shopId: string;
  owner: string;
  skus: string[];
}

/**
 * A stand-in ProductService over real gRPC (the product service is another team's process):
 * GetMyShop and GetVariantsBySku from a fixed catalog; every other method is unimplemented.
 */
export async function startFakeProduct(shops: CatalogShop[], port = 0): Promise<RunningService> {
  const handlers: Record<string, unknown> = {};
  for (const name of Object.keys(ProductServiceService)) {
    handlers[name] = async () => {
      throw new DomainError("failed_precondition", "UNIMPLEMENTED", `${name} is not faked`);
    };
  }
  handlers.getMyShop = async (_req: unknown, ctx: { principal?: { subject: string } }) => {
    const shop = shops.find((s) => s.owner === ctx.principal?.subject);
    if (!shop) throw new DomainError("not_found", "NO_SHOP", "no shop");
    return GetMyShopResponse.fromPartial({
      shop: { id: shop.shopId, ownerId: shop.owner, slug: shop.shopId, name: shop.shopId },
    });
  };
  handlers.getVariantsBySku = async (req: { shopId: string; skus: string[] }) => {
    const shop = shops.find((s) => s.shopId === req.shopId);
    const catalog = shop?.skus ?? [];
    const variants = [];
    const unknownSkus = [];
    // Like the product service: case-insensitive, answered with the catalog's spelling.
    for (const requested of req.skus) {
      const sku = catalog.find((c) => c.toLowerCase() === requested.toLowerCase());
      if (sku)
        variants.push({
          sku,
          requestedSku: requested,
          variantId: `v-${sku}`,
          productId: `p-${sku}`,
          active: true,
        });
      else unknownSkus.push(requested);
    }
    return GetVariantsBySkuResponse.fromPartial({ variants, unknownSkus });
  };
  return startService({
    name: "product",
    env: {
      LOG_LEVEL: "silent",
      LOG_FORMAT: "json",
      TOKO_ALLOW_UNSIGNED_PRINCIPALS: false,
      GRPC_HOST: "127.0.0.1",
      GRPC_PORT: port,
      OPS_PORT: 0,
      SHUTDOWN_GRACE_MS: 1000,
      TRACE_EXPORTER: "none",
      TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    },
    logger: createLogger({ service: "product", level: "silent", format: "json" }),
    services: [implement<ProductServiceServer>(ProductServiceService, handlers as never)],
  });
}
