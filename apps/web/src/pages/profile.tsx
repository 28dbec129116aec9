import { type FormEvent, useEffect, useState } from "react";
import { AddressForm, addressLine } from "../components/address-form.tsx";
import { Field, Loading, Notice, PageTitle, ProblemAlert, RequireSignIn } from "../components/ui.tsx";
import { send, useAction, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Address, Page } from "../lib/api-types.ts";

interface Me {
  id: string;
  email: string;
  name: string;
  phone: string | null;
}

function Profile() {
  const { t } = useI18n();
  const me = useApi<Me>("/api/v1/me");
  const addresses = useApi<Page<Address>>("/api/v1/me/addresses?limit=100");
  const [form, setForm] = useState({ name: "", phone: "" });
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const edit = useAction();
  useEffect(() => {
    if (me.data) setForm({ name: me.data.name, phone: me.data.phone ?? "" });
  }, [me.data]);
  if (!me.data) return me.loading ? <Loading /> : <ProblemAlert error={me.error} onRetry={me.reload} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void save.run(async () => {
      await send("/api/v1/me", "PATCH", {
        name: form.name.trim(),
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      });
      setSaved(true);
      me.reload();
    });
  };
  return (
    <>
      <PageTitle>{t("profile.title")}</PageTitle>
      <form className="panel" onSubmit={submit}>
        <Field label={t("profile.email")} value={me.data.email} readOnly />
        <Field
          label={t("profile.name")}
          value={form.name}
          onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
          required
        />
        <Field
          label={t("profile.phone")}
          type="tel"
          value={form.phone}
          onChange={(e) => setForm((f) => ({ ...f, phone: e.target.value }))}
        />
        <ProblemAlert error={save.error} />
        {saved && <Notice>{t("profile.saved")}</Notice>}
        <button type="submit" className="btn primary" disabled={save.pending}>
          {t("profile.save")}
        </button>
      </form>
      <section aria-labelledby="addresses">
        <h2 id="addresses">{t("profile.addresses")}</h2>
        <ProblemAlert error={addresses.error ?? edit.error} onRetry={addresses.reload} />
        <ul style={{ listStyle: "none", padding: 0 }}>
          {addresses.data?.items.map((a) => (
            <li key={a.id} className="panel">
              <p>
                <strong>{a.label}</strong>{" "}
                {a.is_default && <span className="badge">{t("address.isDefault")}</span>}
              </p>
              <p>{addressLine(a)}</p>
              <div className="row">
                {!a.is_default && (
                  <button
                    type="button"
                    className="btn"
                    onClick={() =>
                      void edit.run(async () => {
                        await send(`/api/v1/me/addresses/${encodeURIComponent(a.id)}`, "PATCH", {
                          is_default: true,
                        });
                        addresses.reload();
                      })
                    }
                  >
                    {t("address.makeDefault", { label: a.label })}
                  </button>
                )}
                <button
                  type="button"
                  className="btn danger"
                  onClick={() =>
                    void edit.run(async () => {
                      await send(`/api/v1/me/addresses/${encodeURIComponent(a.id)}`, "DELETE");
                      addresses.reload();
                    })
                  }
                >
                  {t("address.delete", { label: a.label })}
                </button>
              </div>
            </li>
          ))}
        </ul>
        <AddressForm onSaved={() => addresses.reload()} />
      </section>
    </>
  );
}

export default function ProfilePage() {
  return (
    <RequireSignIn>
      <Profile />
    </RequireSignIn>
  );
}
