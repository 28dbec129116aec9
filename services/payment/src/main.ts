import { runMain } from "@toko/kit";
import { loadPaymentConfig } from "./config.ts";
import { startPayment } from "./start.ts";

runMain("payment", () => startPayment(loadPaymentConfig()));
