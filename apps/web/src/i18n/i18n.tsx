import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { en, id, interpolate, type MessageKey } from "./messages.ts";

export type Lang = "id" | "en";
const KEY = "toko.lang";
const dictionaries = { en, id } as const;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** A message key built at run time (a status, a code); `fallback` when there is none. */
  tx: (key: string, fallback: string, vars?: Record<string, string | number>) => string;
  date: (iso: string) => string;
}

const Context = createContext<I18n | undefined>(undefined);

function initialLang(): Lang {
  const saved = localStorage.getItem(KEY);
  if (saved === "id" || saved === "en") return saved;
  return navigator.language.toLowerCase().startsWith("en") ? "en" : "id";
}

/** The language switch's state: Indonesian by default, English on request; remembered. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dict: Record<string, string> = dictionaries[lang];
    const format = new Intl.DateTimeFormat(lang === "id" ? "id-ID" : "en-GB", {
      dateStyle: "medium",
      timeStyle: "short",
    });
    return {
      lang,
      setLang,
      t: (key, vars) => interpolate(dict[key] ?? key, vars),
      tx: (key, fallback, vars) => interpolate(dict[key] ?? fallback, vars),
      date: (iso) => {
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : format.format(d);
      },
    };
  }, [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The current language's words. */
export function useI18n(): I18n {
  const ctx = useContext(Context);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}
