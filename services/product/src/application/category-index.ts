import type { CategoryNode, CategoryRef } from "./model.ts";

/**
 * The category tree with lookups by id and slug. The tree only changes by migration, so one
 * instance per process is loaded once and shared.
 */
export class CategoryIndex {
  private readonly byId = new Map<string, CategoryNode>();
  private readonly bySlug = new Map<string, CategoryNode>();

  constructor(readonly roots: readonly CategoryNode[]) {
    const visit = (node: CategoryNode) => {
      this.byId.set(node.id, node);
      this.bySlug.set(node.slug, node);
      node.children.forEach(visit);
    };
    roots.forEach(visit);
  }

  /** Builds the tree from flat rows ordered by position. */
  static fromRows(
    rows: readonly { id: string; parentId: string | null; slug: string; name: string }[],
  ): CategoryIndex {
    const nodes = new Map<string, CategoryNode>();
    for (const r of rows) nodes.set(r.id, { ...r, children: [] });
    const roots: CategoryNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    return new CategoryIndex(roots);
  }

  get(id: string): CategoryNode | undefined {
    return this.byId.get(id);
  }

  getBySlug(slug: string): CategoryNode | undefined {
    return this.bySlug.get(slug);
  }

  /** Root first, ending with the category itself; empty for an unknown id. */
  breadcrumbs(id: string): CategoryRef[] {
    const trail: CategoryRef[] = [];
    for (
      let node = this.byId.get(id);
      node;
      node = node.parentId ? this.byId.get(node.parentId) : undefined
    ) {
      trail.unshift({ id: node.id, slug: node.slug, name: node.name });
    }
    return trail;
  }

  /** The category and every category below it. */
  subtreeIds(id: string): string[] {
    const out: string[] = [];
    const visit = (node: CategoryNode) => {
      out.push(node.id);
      node.children.forEach(visit);
    };
    const node = this.byId.get(id);
    if (node) visit(node);
    return out;
  }

  /** Categories without children, where products normally go. */
  leaves(): CategoryNode[] {
    return [...this.byId.values()].filter((n) => n.children.length === 0);
  }
}
