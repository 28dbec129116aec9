export { loadUserConfig, type UserConfig } from "./config.ts";
export { migrationsDir, settingsFrom, startUser, type UserOverrides } from "./start.ts";
