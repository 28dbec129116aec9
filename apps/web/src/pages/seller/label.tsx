import { SellerPage } from "../../components/seller-layout.tsx";
import { Loading, ProblemAlert } from "../../components/ui.tsx";
import { useApi } from "../../components/use-api.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import type { Order, Page, Shop } from "../../lib/api-types.ts";

interface Shipment {
  awb: string;
  carrier: string;
  service: string;
  origin: { city: string };
  destination: { city: string };
  chargeable_weight_grams: number;
}

function Label({ orderId, shop }: { orderId: string; shop: Shop }) {
  const { t } = useI18n();
  const orders = useApi<Page<Order>>("/api/v1/seller/orders?limit=100");
  const order = orders.data?.items.find((o) => o.id === orderId);
  const shipmentId = order?.shipment?.shipment_id ?? order?.shipment?.id;
  const shipment = useApi<Shipment>(
    shipmentId ? `/api/v1/shipments/${encodeURIComponent(shipmentId)}` : null,
  );
  if (orders.loading || shipment.loading) return <Loading />;
  if (!order) return <ProblemAlert error={orders.error ?? new Error(t("problem.NOT_FOUND"))} />;
  const s = shipment.data;
  return (
    <>
      <ProblemAlert error={shipment.error} />
      <div className="label-sheet">
        <h2>{t("seller.awbLabel")}</h2>
        <p className="awb">{s?.awb ?? order.shipment?.awb}</p>
        <p>
          <strong>{s ? `${s.carrier} ${s.service}` : order.shipment?.carrier}</strong>
          {s && ` · ${s.chargeable_weight_grams} g`}
        </p>
        <p>
          {t("seller.from")}: {shop.name}, {s?.origin.city ?? shop.city}
        </p>
        <p>
          {t("seller.to")}: {s?.destination.city}
        </p>
        <p className="small">
          {t("orders.order", { id: order.id })} ·{" "}
          {order.lines.map((l) => `${l.sku ?? l.title} ×${l.quantity}`).join(", ")}
        </p>
      </div>
      <button type="button" className="btn primary no-print" onClick={() => window.print()}>
        {t("seller.print")}
      </button>
    </>
  );
}

export default function SellerLabel({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  return (
    <SellerPage title={t("seller.awbLabel")}>
      {(shop) => <Label orderId={params.id ?? ""} shop={shop} />}
    </SellerPage>
  );
}
