import { runMain } from "@toko/kit";
import { readConfig } from "./config.ts";
import { startOrder } from "./start.ts";

runMain("order", () => startOrder(readConfig()));
