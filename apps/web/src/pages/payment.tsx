import { useEffect } from "react";
import { Loading, PageTitle, ProblemAlert, RequireSignIn } from "../components/ui.tsx";
import { send, useAction, useApi } from "../components/use-api.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Payment } from "../lib/api-types.ts";
import { formatMoney } from "../lib/money.ts";
import { Link } from "../router.tsx";

const POLL_MS = 2500;

const BANKS: Record<string, string> = {
  bca: "BCA",
  bni: "BNI",
  bri: "BRI",
  mandiri: "Mandiri",
  permata: "Permata",
};

/** The method's instructions: the numbers to type, the app to open, the provider's page. */
function Instructions({ i }: { i: Record<string, unknown> }) {
  const { t } = useI18n();
  const text = (k: string) => (typeof i[k] === "string" && i[k] !== "" ? (i[k] as string) : undefined);
  const bank = text("bank");
  const rows: [string, string | undefined, string | undefined][] = [
    ["bank", t("checkout.bank"), bank ? (BANKS[bank] ?? bank.toUpperCase()) : undefined],
    ["biller_code", t("payment.billerCode"), text("biller_code")],
    ["va_number", t("payment.vaNumber"), text("va_number")],
    ["qr_string", t("payment.qr"), text("qr_string")],
  ];
  const deeplink = text("deeplink_url");
  const redirect = text("redirect_url");
  return (
    <>
      <dl className="instructions">
        {rows
          .filter(([, , v]) => v !== undefined)
          .map(([k, label, v]) => (
            <div key={k}>
              <dt className="muted small">{label}</dt>
              <dd>
                <strong className={k === "va_number" || k === "biller_code" ? "awb" : undefined}>{v}</strong>
              </dd>
            </div>
          ))}
      </dl>
      {text("note") && <p>{text("note")}</p>}
      <div className="row">
        {deeplink && (
          <a className="btn primary" href={deeplink}>
            {t("payment.openApp")}
          </a>
        )}
        {redirect && !isSandbox(redirect) && (
          <a className="btn primary" href={redirect}>
            {t("payment.continue")}
          </a>
        )}
      </div>
    </>
  );
}

/** The development provider's own page: only then does the sandbox panel show. */
function isSandbox(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url, location.origin);
    return u.origin === location.origin && u.pathname.startsWith("/payments/sandbox/");
  } catch {
    return false;
  }
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
      {pending && isSandbox(redirect) && (
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
