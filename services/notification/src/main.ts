import { runMain } from "@toko/kit";
import { readConfig } from "./config.ts";
import { startNotification } from "./start.ts";

runMain("notification", () => startNotification(readConfig()));
