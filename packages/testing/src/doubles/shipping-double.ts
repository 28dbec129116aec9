import * as grpc from "@grpc/grpc-js";
import {
  type QuoteRatesRequest,
  type QuoteRatesResponse,
  ShippingServiceService,
} from "@toko/contracts/toko/shipping/v1/shipping";

/** A running shipping-service test double. */
export interface ShippingDouble {
  /** host:port of its gRPC server. */
  address: string;
  /** Every QuoteRates request received, oldest first. */
  requests: QuoteRatesRequest[];
  close(): Promise<void>;
}

/**
 * TEST DOUBLE of the remote shipping service (`toko.shipping.v1.ShippingService/QuoteRates`),
 * built from the generated definition and served over a real socket, for tests run where the
 * shipping service is not available. Two carriers priced per started kilogram; an empty origin
 * or destination is refused as the real service refuses an unknown city. It records requests.
 */
export async function startShippingDouble(): Promise<ShippingDouble> {
  const requests: QuoteRatesRequest[] = [];
  const server = new grpc.Server();
  server.addService(ShippingServiceService, {
    quoteRates(
      call: grpc.ServerUnaryCall<QuoteRatesRequest, QuoteRatesResponse>,
      callback: grpc.sendUnaryData<QuoteRatesResponse>,
    ) {
      const req = call.request;
      requests.push(req);
      if (!req.originCity || !req.destinationCity || !req.parcel || req.parcel.weightGrams <= 0) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: "unknown city or bad parcel" });
        return;
      }
      const kg = Math.ceil(req.parcel.weightGrams / 1000);
      const same = req.originCity.toLowerCase() === req.destinationCity.toLowerCase();
      callback(null, {
        quotes: [
          {
            optionId: "jne-reg",
            carrier: "JNE",
            service: "REG",
            price: { amount: (same ? 8_000 : 10_000) * kg, currency: "IDR" },
            etdMinDays: 2,
            etdMaxDays: 3,
            chargeableWeightGrams: kg * 1000,
            deliverySlots: false,
          },
          {
            optionId: "jne-yes",
            carrier: "JNE",
            service: "YES",
            price: { amount: (same ? 15_000 : 18_000) * kg, currency: "IDR" },
            etdMinDays: 1,
            etdMaxDays: 1,
            chargeableWeightGrams: kg * 1000,
            deliverySlots: false,
          },
        ],
        zone: same ? "same_city" : "inter_city",
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
