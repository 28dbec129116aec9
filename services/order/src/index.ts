export { type OrderConfig, readConfig } from "./config.ts";
export { migrationsDir, type OrderOverrides, startOrder } from "./start.ts";
