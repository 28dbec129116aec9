export { loadShortenerConfig, type ShortenerConfig } from "./config.ts";
export { migrationsDir, type ShortenerOverrides, startShortener } from "./start.ts";
