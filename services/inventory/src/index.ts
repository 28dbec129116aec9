export { type InventoryConfig, loadInventoryConfig } from "./config.ts";
export { type InventoryOverrides, migrationsDir, startInventory } from "./start.ts";
