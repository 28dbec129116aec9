import { useEffect } from "react";
import { Loading, PageTitle, ProblemAlert, RequireSignIn } from "../components/ui.tsx";
import { send, useAction, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Payment } from "../lib/api-types.ts";
import { formatMoney } from "../lib/money.ts";
import { Link } from "../router.tsx";

const POLL_MS = 2500;

function Instructions({ i }: { i: Record<string, unknown> }) {
  const rows = Object.entries(i).filter(([, v]) => typeof v === "string" && v !== "");
  return (
    <dl>
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt className="muted small">{k.replaceAll("_", " ")}</dt>
          <dd>
            {k.endsWith("_url") ? (
              <a href={String(v)} target="_blank" rel="noreferrer">
                {String(v)}
              </a>
            ) : (
              <strong className={k === "va_number" ? "awb" : undefined}>{String(v)}</strong>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function PaymentView({ id }: { id: string }) {
  const { t, tx, date } = useI18n();
  const payment = useApi<Payment>(`/api/v1/payments/${encodeURIComponent(id)}`);
  const simulate = useAction();
  const pending = payment.data?.status === "PENDING";
  // Live status: poll while the payment waits (the provider's webhook settles it server-side).
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(payment.reload, POLL_MS);
    return () => clearInterval(timer);
  }, [pending, payment.reload]);
  if (!payment.data)
    return payment.loading ? <Loading /> : <ProblemAlert error={payment.error} onRetry={payment.reload} />;
  const p = payment.data;
  const outcome = (o: "success" | "failure") =>
    simulate.run(async () => {
      await send(`/api/v1/payments/${encodeURIComponent(p.id)}/simulate`, "POST", { outcome: o });
      payment.reload();
    });
  const redirect = typeof p.instructions?.redirect_url === "string" ? p.instructions.redirect_url : undefined;
  return (
    <>
      <PageTitle>{t("payment.title")}</PageTitle>
      <section className="panel">
        <p role="status" aria-live="polite" data-testid="payment-status">
          {t("payment.status", { status: tx(`payment.status.${p.status}`, p.status) })}
        </p>
        <p>
          {t("payment.amount")}: <strong>{formatMoney(p.amount)}</strong>
        </p>
        {p.expires_at && pending && <p>{t("payment.expires", { time: date(p.expires_at) })}</p>}
        {pending && <p className="muted small">{t("payment.live")}</p>}
        {p.instructions && pending && (
          <>
            <h2>{t("payment.instructions")}</h2>
            <Instructions i={p.instructions} />
          </>
        )}
        <Link href="/orders" className="btn">
          {t("payment.seeOrders")}
        </Link>
      </section>
      {pending && (
        <section className="panel" aria-labelledby="sandbox">
          <h2 id="sandbox">{t("payment.sandbox")}</h2>
          <p className="muted small">{t("payment.sandboxHint")}</p>
          <div className="row">
            <button
              type="button"
              className="btn primary"
              disabled={simulate.pending}
              onClick={() => void outcome("success")}
            >
              {t("payment.simulateSuccess")}
            </button>
            <button
              type="button"
              className="btn danger"
              disabled={simulate.pending}
              onClick={() => void outcome("failure")}
            >
              {t("payment.simulateFailure")}
            </button>
            {redirect && (
              <a className="btn" href={redirect}>
                {t("payment.openSandbox")}
              </a>
            )}
          </div>
          <ProblemAlert error={simulate.error} />
        </section>
      )}
    </>
  );
}

export default function PaymentPage({ params }: { params: Record<string, string> }) {
  return (
    <RequireSignIn>
      <PaymentView id={params.id ?? ""} />
    </RequireSignIn>
  );
}
