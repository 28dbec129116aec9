import { type FormEvent, useEffect, useState } from "react";
import { Loading, Notice, PageTitle, ProblemAlert, RequireSignIn, SelectField } from "../components/ui.tsx";
import { isMissingRoute, send, useAction, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import {
  type Preference,
  type Preferences,
  preferenceChanges,
  preferenceGrid,
  toggle,
} from "../lib/notification-prefs.ts";
import { Link } from "../router.tsx";

const PATH = "/api/v1/me/notification-preferences";

function Settings() {
  const { t, tx } = useI18n();
  const loaded = useApi<Preferences>(PATH);
  const [saved, setSaved] = useState<Preferences>();
  const [current, setCurrent] = useState<Preference[]>([]);
  const [locale, setLocale] = useState("");
  const [note, setNote] = useState<"saved" | "none">();
  const action = useAction();
  useEffect(() => {
    if (!loaded.data) return;
    setSaved(loaded.data);
    setCurrent(loaded.data.preferences);
    setLocale(loaded.data.locale);
  }, [loaded.data]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!saved) return;
    setNote(undefined);
    const changes = preferenceChanges(saved.preferences, current);
    const localeChanged = locale !== saved.locale;
    if (changes.length === 0 && !localeChanged) {
      setNote("none");
      return;
    }
    void action.run(async () => {
      const answer = await send<Preferences>(PATH, "PUT", {
        ...(changes.length > 0 ? { preferences: changes } : {}),
        ...(localeChanged ? { locale } : {}),
      });
      setSaved(answer);
      setCurrent(answer.preferences);
      setLocale(answer.locale);
      setNote("saved");
    });
  };
  const grid = preferenceGrid(current);
  const channelName = (c: string) => tx(`prefs.channel.${c}`, c);
  return (
    <>
      <PageTitle>{t("prefs.title")}</PageTitle>
      <p>
        <Link href="/notifications">{t("prefs.back")}</Link>
      </p>
      {loaded.loading && <Loading />}
      {isMissingRoute(loaded.error) ? (
        <p className="alert" role="alert">
          {t("prefs.unavailable")}
        </p>
      ) : (
        <ProblemAlert error={loaded.error} onRetry={loaded.reload} />
      )}
      {saved && (
        <form className="panel" onSubmit={submit} aria-labelledby="prefs-form">
          <h2 id="prefs-form">{t("prefs.intro")}</h2>
          {grid.rows.map((row) => {
            const category = tx(`prefs.category.${row.category}`, row.category);
            const locked = row.cells.some((c) => c?.locked);
            return (
              <fieldset key={row.category}>
                <legend>{category}</legend>
                <div className="row">
                  {row.cells.map((cell, i) => {
                    const channel = grid.channels[i] ?? "";
                    if (!cell) return null;
                    return (
                      <label key={channel} className="check">
                        <input
                          type="checkbox"
                          checked={cell.enabled}
                          disabled={cell.locked || action.pending}
                          onChange={(e) =>
                            setCurrent((ps) => toggle(ps, channel, row.category, e.target.checked))
                          }
                        />
                        {channelName(channel)}
                        <span className="sr-only">, {category}</span>
                        {cell.locked && <span className="muted small"> ({t("prefs.alwaysOn")})</span>}
                      </label>
                    );
                  })}
                </div>
                {locked && <p className="muted small">{t("prefs.locked")}</p>}
                {row.category === "marketing" && <p className="muted small">{t("prefs.marketingNote")}</p>}
              </fieldset>
            );
          })}
          <SelectField label={t("prefs.locale")} value={locale} onChange={(e) => setLocale(e.target.value)}>
            <option value="id">Bahasa Indonesia</option>
            <option value="en">English</option>
          </SelectField>
          <ProblemAlert error={action.error} />
          {note === "saved" && <Notice>{t("prefs.saved")}</Notice>}
          {note === "none" && <Notice>{t("edit.noChanges")}</Notice>}
          <button type="submit" className="btn primary" disabled={action.pending}>
            {t("prefs.save")}
          </button>
        </form>
      )}
    </>
  );
}

export default function NotificationSettingsPage() {
  return (
    <RequireSignIn>
      <Settings />
    </RequireSignIn>
  );
}
