export { type NotificationConfig, readConfig } from "./config.ts";
export { migrationsDir, type NotificationOverrides, startNotification } from "./start.ts";
