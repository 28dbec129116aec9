import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
  useState,
} from "react";
import { signIn } from "../api/auth.ts";
import { ApiError } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { Product } from "../lib/api-types.ts";
import { discountPercent, formatMoney } from "../lib/money.ts";
import { problemText } from "../lib/problem-text.ts";
import { Link, useLocation } from "../router.tsx";
import { useUser } from "../session.tsx";

/** An API or network error as a person would want it: what happened, what to fix, a reference. */
export function ProblemAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, tx } = useI18n();
  if (!error) return null;
  let message = t("problem.generic");
  let details: string[] = [];
  let code: string | undefined;
  if (error instanceof ApiError) {
    ({ message, details, code } = problemText(error.problem, (key) => tx(key, "")));
  } else if (error instanceof Error && error.message) {
    message = error.message;
  }
  return (
    <div className="alert" role="alert">
      <p>{message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {code && <p className="muted small">{t("problem.ref", { code })}</p>}
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t("app.retry")}
        </button>
      )}
    </div>
  );
}

/** A polite status line (success messages). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status" aria-live="polite">
      {t("app.loading")}
    </p>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string };

/** A text input with its visible label. */
export function Field({ label, hint, ...input }: FieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} aria-describedby={hint ? `${id}-hint` : undefined} />
      {hint && (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      )}
    </div>
  );
}

/** A multi-line text box with its visible label (and an optional hint under it). */
export function TextAreaField({
  label,
  hint,
  ...area
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={3} {...area} aria-describedby={hint ? `${id}-hint` : undefined} />
      {hint && (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      )}
    </div>
  );
}

/** A select with its visible label. */
export function SelectField({
  label,
  children,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {children}
      </select>
    </div>
  );
}

/** A product picture, or a coloured tile with initials when there is none or it fails to load. */
export function ProductImage({
  src,
  title,
  size = "card",
}: {
  src: string | null | undefined;
  title: string;
  size?: string;
}) {
  const [failed, setFailed] = useState(false);
  if (src && !failed) {
    return (
      <img
        className={`img img-${size}`}
        src={src}
        alt={title}
        loading="lazy"
        onError={() => setFailed(true)}
      />
    );
  }
  const initials = title
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0] ?? "")
    .join("")
    .toUpperCase();
  const hue = [...title].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return (
    <div
      className={`img img-${size} placeholder`}
      role="img"
      aria-label={title}
      style={{ background: `hsl(${hue} 45% 88%)` }}
    >
      <span aria-hidden="true">{initials}</span>
    </div>
  );
}

/** The price with the discount from the base price shown. */
export function Price({
  price,
  base,
}: {
  price: Product["variants"][number]["price"];
  base?: Product["variants"][number]["price"];
}) {
  const { t } = useI18n();
  const off = discountPercent(base, price);
  return (
    <span className="price">
      <strong>{formatMoney(price)}</strong>
      {off > 0 && (
        <>
          {" "}
          <span className="badge">{t("product.off", { percent: off })}</span>{" "}
          <s className="muted small">
            <span className="sr-only">{t("product.was", { price: formatMoney(base) })}</span>
            <span aria-hidden="true">{formatMoney(base)}</span>
          </s>
        </>
      )}
    </span>
  );
}

/** A product in a grid: picture, title, price, shop city, rating. */
export function ProductCard({
  id,
  title,
  price,
  base,
  image,
  city,
  rating,
}: {
  id: string;
  title: string;
  price: Product["variants"][number]["price"];
  base?: Product["variants"][number]["price"];
  image: string | null | undefined;
  city?: string;
  rating?: number;
}) {
  return (
    <li className="card">
      <Link href={`/p/${encodeURIComponent(id)}`} className="card-link">
        <ProductImage src={image} title={title} />
        <span className="card-title">{title}</span>
      </Link>
      <Price price={price} base={base} />
      <span className="muted small">
        {city}
        {rating ? ` · ★ ${rating.toFixed(1)}` : ""}
      </span>
    </li>
  );
}

/** Shows `children` to a signed-in user, else a sign-in prompt that comes back here. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const user = useUser();
  const { t } = useI18n();
  const loc = useLocation();
  if (user) return <>{children}</>;
  return (
    <section className="panel">
      <p>{t("auth.required")}</p>
      <button type="button" className="btn primary" onClick={() => void signIn(loc.path + loc.search)}>
        {t("app.signIn")}
      </button>{" "}
      <Link href="/register" className="btn">
        {t("app.register")}
      </Link>
    </section>
  );
}

/** A page heading that takes focus after navigation, so screen readers announce the new page. */
export function PageTitle({ children }: { children: ReactNode }) {
  return (
    <h1 tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
