export { loadOAuth2Config, type OAuth2Config } from "./config.ts";
export { migrationsDir, type OAuth2Overrides, type RunningOAuth2, startOAuth2 } from "./start.ts";
