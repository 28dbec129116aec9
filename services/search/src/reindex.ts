// `npm run reindex -w @toko/search`: rebuilds the projection from the catalog (ProductService
// ListProducts pages), then deactivates products the catalog no longer lists. Safe while the
// service runs: events handled meanwhile are kept (see application/reindex.ts).
import { runReindex } from "./reindex-run.ts";

await runReindex({ onlyWhenEmpty: false });
