export { type CartConfig, readConfig } from "./config.ts";
export { type CartOverrides, migrationsDir, startCart } from "./start.ts";
