import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import type { Product } from "../lib/api-types.ts";

/** Product titles by id for lines that carry only ids and SKUs (orders); missing ones stay absent. */
export function useProductTitles(ids: readonly (string | undefined)[]): Map<string, string> {
  const [titles, setTitles] = useState(new Map<string, string>());
  const key = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort().join(",");
  useEffect(() => {
    if (!key) return;
    let live = true;
    Promise.all(
      key.split(",").map((id) =>
        api<Product>(`/api/v1/products/${encodeURIComponent(id)}`).then(
          (p) => [id, p.title] as const,
          () => undefined,
        ),
      ),
    ).then((pairs) => {
      if (live) setTitles(new Map(pairs.filter((p): p is readonly [string, string] => p !== undefined)));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return titles;
}
