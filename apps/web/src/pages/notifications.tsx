import { Loading, PageTitle, ProblemAlert, RequireSignIn } from "../components/ui.tsx";
import { isMissingRoute, send, useAction, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { Link } from "../router.tsx";

interface Inbox {
  items: {
    id: string;
    category: string;
    title: string;
    body: string;
    link?: string | null;
    read_at: string | null;
    created_at: string;
  }[];
  unread: number;
  next_cursor: string | null;
}

/** A link inside the app stays in the app; anything else is shown as text (never followed blindly). */
function inAppPath(link: string | null | undefined): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link, location.origin);
    return url.origin === location.origin ? url.pathname + url.search : undefined;
  } catch {
    return undefined;
  }
}

function Notifications() {
  const { t, date } = useI18n();
  const inbox = useApi<Inbox>("/api/v1/me/notifications?limit=50");
  const action = useAction();
  return (
    <>
      <PageTitle>{t("inbox.title")}</PageTitle>
      <p>
        <Link href="/notifications/settings">{t("prefs.title")}</Link>
      </p>
      {inbox.loading && <Loading />}
      {isMissingRoute(inbox.error) ? (
        <p className="alert" role="alert">
          {t("inbox.unavailable")}
        </p>
      ) : (
        <ProblemAlert error={inbox.error ?? action.error} onRetry={inbox.reload} />
      )}
      {inbox.data && <p>{t("inbox.unread", { count: inbox.data.unread })}</p>}
      {inbox.data?.items.length === 0 && <p>{t("inbox.empty")}</p>}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {inbox.data?.items.map((n) => {
          const path = inAppPath(n.link);
          return (
            <li key={n.id} className="panel" style={n.read_at ? undefined : { borderColor: "var(--green)" }}>
              <h2>{path ? <Link href={path}>{n.title}</Link> : n.title}</h2>
              <p>{n.body}</p>
              <p className="muted small">{date(n.created_at)}</p>
              {!n.read_at && (
                <button
                  type="button"
                  className="btn"
                  onClick={() =>
                    void action.run(async () => {
                      await send(`/api/v1/me/notifications/${encodeURIComponent(n.id)}/read`, "POST");
                      inbox.reload();
                    })
                  }
                >
                  {t("inbox.markRead", { title: n.title })}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

export default function NotificationsPage() {
  return (
    <RequireSignIn>
      <Notifications />
    </RequireSignIn>
  );
}
