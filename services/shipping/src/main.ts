import { runMain } from "@toko/kit";
import { readConfig } from "./config.ts";
import { startShipping } from "./start.ts";

runMain("shipping", () => startShipping(readConfig()));
