import type { CategoryIndex } from "./category-index.ts";
import type { CatalogReads, Clock, IdFactory, RoleGranter, UnitOfWork } from "./ports.ts";

/** What the use cases need, wired by hand in main.ts (and in tests). */
export interface CatalogDeps {
  uow: UnitOfWork;
  reads: CatalogReads;
  roles: RoleGranter;
  clock: Clock;
  newId: IdFactory;
  categories: () => Promise<CategoryIndex>;
}
