import { PageTitle } from "../components/ui.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { Link } from "../router.tsx";

export default function NotFound() {
  const { t } = useI18n();
  return (
    <section className="panel">
      <PageTitle>{t("app.notFound")}</PageTitle>
      <Link href="/">{t("app.back")}</Link>
    </section>
  );
}
