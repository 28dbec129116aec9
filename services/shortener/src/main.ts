import { runMain } from "@toko/kit";
import { loadShortenerConfig } from "./config.ts";
import { startShortener } from "./start.ts";

runMain("shortener", () => startShortener(loadShortenerConfig()));
