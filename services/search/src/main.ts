import { runMain } from "@toko/kit";
import { readConfig } from "./config.ts";
import { startSearch } from "./start.ts";

runMain("search", () => startSearch(readConfig()));
