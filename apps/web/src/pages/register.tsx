import { type FormEvent, useState } from "react";
import { signIn } from "../api/auth.ts";
import { Field, Notice, PageTitle, ProblemAlert } from "../components/ui.tsx";
import { send, useAction } from "../components/use-api.ts";
import { useFormState } from "../components/use-form.ts";
import { useI18n } from "../i18n/i18n.tsx";

/** Registration (POST /api/v1/users), then the usual sign-in. */
export default function Register() {
  const { t } = useI18n();
  const { form, bind: set } = useFormState({ name: "", email: "", password: "", phone: "" });
  const [done, setDone] = useState(false);
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await send("/api/v1/users", "POST", {
        name: form.name.trim(),
        email: form.email.trim(),
        password: form.password,
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      });
      setDone(true);
    });
  };
  return (
    <section className="panel" style={{ maxWidth: 480 }}>
      <PageTitle>{t("register.title")}</PageTitle>
      {done ? (
        <>
          <Notice>{t("register.done")}</Notice>
          <button type="button" className="btn primary" onClick={() => void signIn("/")}>
            {t("app.signIn")}
          </button>
        </>
      ) : (
        <form onSubmit={submit}>
          <Field
            label={t("profile.name")}
            value={form.name}
            onChange={set("name")}
            required
            autoComplete="name"
          />
          <Field
            label={t("profile.email")}
            type="email"
            value={form.email}
            onChange={set("email")}
            required
            autoComplete="email"
          />
          <Field
            label={t("register.password")}
            type="password"
            value={form.password}
            onChange={set("password")}
            required
            minLength={8}
            autoComplete="new-password"
          />
          <Field
            label={t("profile.phone")}
            type="tel"
            value={form.phone}
            onChange={set("phone")}
            autoComplete="tel"
          />
          <ProblemAlert error={action.error} />
          <button type="submit" className="btn primary" disabled={action.pending}>
            {t("register.submit")}
          </button>
        </form>
      )}
    </section>
  );
}
