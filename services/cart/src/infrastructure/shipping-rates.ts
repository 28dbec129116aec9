import { ShippingServiceClient } from "@toko/contracts/toko/shipping/v1/shipping";
import { createClient } from "@toko/kit";
import type { RateQuoter } from "../application/ports.ts";

/** Carrier quotes through `toko.shipping.v1.ShippingService/QuoteRates` (public, so retried). */
export function shippingRates(
  address: string,
  internalSecret: string | undefined,
): RateQuoter & { close(): void } {
  const client = createClient(ShippingServiceClient, address, {
    internalSecret,
    deadlineMs: 3_000,
    idempotent: ["quoteRates"],
  });
  return {
    async quote(request) {
      const res = await client.quoteRates(request);
      return res.quotes.map((q) => ({
        optionId: q.optionId,
        carrier: q.carrier,
        service: q.service,
        price: q.price?.amount ?? 0,
        etdMinDays: q.etdMinDays,
        etdMaxDays: q.etdMaxDays,
      }));
    },
    close: () => client.close(),
  };
}
