import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The gateway serves `dist/` at `/`; `/assets/*` names carry a content hash and are cached for a
// year. In `npm run dev`, API, sign-in and short-link paths go to a running gateway.
const gateway = process.env.TOKO_GATEWAY_URL ?? "http://localhost:8080";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2022" },
  server: {
    proxy: Object.fromEntries(["/api", "/oauth2", "/s/", "/dev"].map((p) => [p, gateway])),
  },
});
