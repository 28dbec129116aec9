export { readConfig, type SearchConfig } from "./config.ts";
export { migrationsDir, type SearchOverrides, startSearch } from "./start.ts";
