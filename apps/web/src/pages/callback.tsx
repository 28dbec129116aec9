import { useEffect, useRef, useState } from "react";
import { completeSignIn } from "../api/auth.ts";
import { cartToken } from "../api/cart-token.ts";
import { api } from "../api/client.ts";
import { cartChanged } from "../components/header.tsx";
import { PageTitle } from "../components/ui.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { Link, navigate } from "../router.tsx";

/** Where the sign-in page sends the browser back: exchange the code, merge the guest cart. */
export default function Callback() {
  const { t } = useI18n();
  const [failure, setFailure] = useState<string>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    (async () => {
      const next = await completeSignIn(location.search);
      const guest = cartToken.get();
      if (guest) {
        try {
          await api("/api/v1/cart/merge", { method: "POST", body: { cart_token: guest } });
        } finally {
          // A guest cart that cannot be merged (expired, already merged) is not retried forever.
          cartToken.clear();
        }
      }
      cartChanged();
      navigate(next, true);
    })().catch((e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
  }, []);
  return (
    <section className="panel">
      <PageTitle>{failure ? t("callback.failed", { reason: failure }) : t("callback.signingIn")}</PageTitle>
      {failure && <Link href="/">{t("app.back")}</Link>}
    </section>
  );
}
