import { runMain } from "@toko/kit";
import { loadOAuth2Config } from "./config.ts";
import { startOAuth2 } from "./start.ts";

runMain("oauth2", () => startOAuth2(loadOAuth2Config()));
