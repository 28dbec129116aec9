import { runMain } from "@toko/kit";
import { readConfig } from "./config.ts";
import { startCart } from "./start.ts";

runMain("cart", () => startCart(readConfig()));
