import { runMain } from "@toko/kit";
import { loadOAuth2Config } from "./config.ts";
import { startOAuth2 } from "./start.ts";

// async, so a configuration error becomes runMain's one-line "failed to start" rather than a stack trace.
runMain("oauth2", async () => startOAuth2(loadOAuth2Config()));
