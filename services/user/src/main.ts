import { runMain } from "@toko/kit";
import { loadUserConfig } from "./config.ts";
import { startUser } from "./start.ts";

runMain("user", () => startUser(loadUserConfig()));
