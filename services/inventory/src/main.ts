import { runMain } from "@toko/kit";
import { loadInventoryConfig } from "./config.ts";
import { startInventory } from "./start.ts";

runMain("inventory", () => startInventory(loadInventoryConfig()));
