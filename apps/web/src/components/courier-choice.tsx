import { useEffect, useMemo, useState } from "react";
import { query } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Address, ShippingOption } from "../lib/api-types.ts";
import { cheapestChoices } from "../lib/cart-view.ts";
import { formatMoney } from "../lib/money.ts";
import { readDraft, saveDraft } from "./checkout-draft.ts";
import { SelectField } from "./ui.tsx";
import { useApi } from "./use-api.ts";

/** Loads the couriers each shop offers to an address and keeps the buyer's choice per shop. */
export function useCouriers(addressId: string | undefined, cartVersion: unknown) {
  const options = useApi<{ items: { shop_id: string; options: ShippingOption[] }[] }>(
    addressId ? `/api/v1/cart/shipping-options${query({ address_id: addressId })}` : null,
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the cart changes
  useEffect(() => {
    if (addressId) options.reload();
  }, [cartVersion]);
  const byShop = useMemo(
    () => new Map((options.data?.items ?? []).map((i) => [i.shop_id, i.options] as const)),
    [options.data],
  );
  const [chosen, setChosen] = useState<Map<string, string>>(
    () => new Map(Object.entries(readDraft().couriers)),
  );
  useEffect(() => {
    if (byShop.size === 0) return;
    setChosen((prev) => {
      const defaults = cheapestChoices(byShop);
      const next = new Map<string, string>();
      for (const [shop, opts] of byShop) {
        const keep = prev.get(shop);
        const pick = keep && opts.some((o) => o.id === keep) ? keep : defaults.get(shop);
        if (pick) next.set(shop, pick);
      }
      return next;
    });
  }, [byShop]);
  useEffect(() => {
    saveDraft({ ...readDraft(), addressId, couriers: Object.fromEntries(chosen) });
  }, [chosen, addressId]);
  const choose = (shopId: string, optionId: string) => setChosen((m) => new Map(m).set(shopId, optionId));
  return { byShop, chosen, choose, error: options.error, loading: options.loading };
}

export function CourierSelect({
  shopName,
  options,
  value,
  onChange,
}: {
  shopName: string;
  options: ShippingOption[];
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  const { t } = useI18n();
  return (
    <SelectField
      label={t("cart.courier", { shop: shopName })}
      value={value ?? ""}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="" disabled>
        {t("cart.chooseCourier")}
      </option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {`${o.carrier} ${o.service} · ${formatMoney(o.price)} · ${t("cart.etd", { min: o.etd_days.min, max: o.etd_days.max })}`}
        </option>
      ))}
    </SelectField>
  );
}

/** The address to ship to: the one chosen before, else the default, else the first. */
export function pickAddress(
  addresses: Address[] | undefined,
  preferred: string | undefined,
): Address | undefined {
  if (!addresses) return undefined;
  return addresses.find((a) => a.id === preferred) ?? addresses.find((a) => a.is_default) ?? addresses[0];
}
