// `npm start` runs this after migrating, once the catalog is up (the launcher's seed hook): the
// first start indexes the catalog (the demo marketplace is bulk-loaded without events); later
// starts find the projection filled and leave catch-up to the event bus.
import { runReindex } from "./reindex-run.ts";

await runReindex({ onlyWhenEmpty: true });
