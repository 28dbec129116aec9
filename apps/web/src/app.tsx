import { Suspense, useEffect } from "react";
import { ErrorBoundary } from "./components/error-boundary.tsx";
import { Header } from "./components/header.tsx";
import { Loading, ProblemAlert } from "./components/ui.tsx";
import { I18nProvider, useI18n } from "./i18n/i18n.tsx";
import { Link, Router } from "./router.tsx";
import { SessionProvider } from "./session.tsx";

function Crashed({ error, reset }: { error: unknown; reset: () => void }) {
  const { t } = useI18n();
  return (
    <section className="panel">
      <h1>{t("app.crashed")}</h1>
      <p>{t("app.crashedHint")}</p>
      <ProblemAlert error={error} onRetry={reset} />
      <Link href="/">{t("app.back")}</Link>
    </section>
  );
}

function FocusOnNavigate({ path }: { path: string }) {
  // After an in-app navigation, move focus to the new page's heading (as a page load would).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new path
  useEffect(() => {
    const h1 = document.querySelector<HTMLElement>("main h1");
    if (h1 && document.activeElement !== document.body) h1.focus();
  }, [path]);
  return null;
}

function Shell() {
  const { t } = useI18n();
  return (
    <>
      <a href="#main" className="skip">
        {t("app.skip")}
      </a>
      <Router
        render={(Page, params, loc) => (
          <>
            <Header />
            <main id="main">
              <ErrorBoundary
                key={loc.path}
                fallback={(error, reset) => <Crashed error={error} reset={reset} />}
              >
                <Suspense fallback={<Loading />}>
                  <Page params={params} />
                  <FocusOnNavigate path={loc.path} />
                </Suspense>
              </ErrorBoundary>
            </main>
            <footer className="footer muted small">© Toko · Apache-2.0</footer>
          </>
        )}
      />
    </>
  );
}

/** The whole app: language, session, the router's current page. */
export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </I18nProvider>
  );
}
