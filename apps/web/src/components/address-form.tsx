import { type FormEvent, useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import type { Address } from "../lib/api-types.ts";
import { Field, ProblemAlert } from "./ui.tsx";
import { send, useAction } from "./use-api.ts";
import { useFormState } from "./use-form.ts";

const EMPTY = {
  label: "",
  recipient: "",
  phone: "",
  street: "",
  district: "",
  city: "",
  province: "",
  postal_code: "",
};

/** A new address-book entry (POST /api/v1/me/addresses). */
export function AddressForm({ onSaved }: { onSaved: (a: Address) => void }) {
  const { t } = useI18n();
  const { form, setForm, bind: set } = useFormState(EMPTY);
  const [isDefault, setDefault] = useState(false);
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const saved = await send<Address>("/api/v1/me/addresses", "POST", { ...form, is_default: isDefault });
      setForm(EMPTY);
      onSaved(saved);
    });
  };
  const fields: [keyof typeof EMPTY, string, string][] = [
    ["label", t("address.label"), "off"],
    ["recipient", t("address.recipient"), "name"],
    ["phone", t("address.phone"), "tel"],
    ["street", t("address.street"), "street-address"],
    ["district", t("address.district"), "address-level3"],
    ["city", t("address.city"), "address-level2"],
    ["province", t("address.province"), "address-level1"],
    ["postal_code", t("address.postal"), "postal-code"],
  ];
  return (
    <form onSubmit={submit} className="panel">
      {fields.map(([k, label, auto]) => (
        <Field key={k} label={label} value={form[k]} onChange={set(k)} required autoComplete={auto} />
      ))}
      <div className="check">
        <input
          id="addr-default"
          type="checkbox"
          checked={isDefault}
          onChange={(e) => setDefault(e.target.checked)}
        />
        <label htmlFor="addr-default">{t("address.default")}</label>
      </div>
      <ProblemAlert error={action.error} />
      <button type="submit" className="btn primary" disabled={action.pending}>
        {t("address.add")}
      </button>
    </form>
  );
}

/** One line of an address. */
export function addressLine(a: Address): string {
  return `${a.recipient} (${a.phone}), ${a.street}, ${a.district}, ${a.city}, ${a.province} ${a.postal_code}`;
}
