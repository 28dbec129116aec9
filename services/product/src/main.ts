import { runMain } from "@toko/kit";
import { readConfig } from "./config.ts";
import { startProduct } from "./start.ts";

runMain("product", () => startProduct(readConfig()));
