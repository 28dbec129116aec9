import { useI18n } from "../i18n/i18n.tsx";
import type { CartView } from "../lib/cart-view.ts";
import { formatRupiah } from "../lib/money.ts";

/** The totals table of the cart and checkout pages. */
export function CartSummary({ view }: { view: CartView }) {
  const { t } = useI18n();
  return (
    <table className="totals">
      <caption className="sr-only">{t("cart.summary")}</caption>
      <tbody>
        <tr>
          <td>{t("cart.subtotal", { count: view.itemCount })}</td>
          <td>{formatRupiah(view.subtotal)}</td>
        </tr>
        {view.discount > 0 && (
          <tr>
            <td>{t("cart.discount")}</td>
            <td>-{formatRupiah(view.discount)}</td>
          </tr>
        )}
        <tr>
          <td>{t("cart.shipping")}</td>
          <td>{formatRupiah(view.shipping)}</td>
        </tr>
        {view.serviceFee > 0 && (
          <tr>
            <td>{t("cart.serviceFee")}</td>
            <td>{formatRupiah(view.serviceFee)}</td>
          </tr>
        )}
        <tr className="total">
          <td>{t("cart.total")}</td>
          <td>{formatRupiah(view.grandTotal)}</td>
        </tr>
      </tbody>
    </table>
  );
}
