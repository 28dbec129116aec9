import type { Locale, MessageData, MessageKind } from "./model.ts";
import type { Copy } from "./render.ts";

/** What a template needs besides the message's data. */
export interface TemplateContext {
  locale: Locale;
  /** The recipient's name; empty when unknown (in-app). */
  name: string;
  /** The web app's origin, for links in email (`https://toko.example`). */
  origin: string;
  /** An opened secret link (verification, reset), only at send time. */
  secretUrl?: string;
}

const RUPIAH = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });
const rupiah = (n: string | number | undefined): string => `Rp${RUPIAH.format(Number(n ?? 0))}`;

const DATE_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat("id-ID", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Jakarta" }),
  en: new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Jakarta" }),
};

const when = (iso: string | number | undefined, locale: Locale): string => {
  if (!iso) return "";
  const d = new Date(String(iso));
  if (Number.isNaN(d.getTime())) return "";
  return DATE_FORMATS[locale].format(d);
};

const s = (v: string | number | undefined): string => (v === undefined ? "" : String(v));

const PAYMENT_METHODS: Record<string, Record<Locale, string>> = {
  bank_transfer_va: { id: "Transfer virtual account", en: "Virtual account transfer" },
  ewallet: { id: "Dompet digital", en: "E-wallet" },
  credit_card: { id: "Kartu kredit", en: "Credit card" },
  cod: { id: "Bayar di tempat (COD)", en: "Cash on delivery" },
};

/** How to pay, line by line, from the instructions an OrderPlaced carried. */
function paymentLines(d: MessageData, l: Locale): string[] {
  const method = PAYMENT_METHODS[s(d.method)]?.[l] ?? s(d.method);
  if (!method) return [];
  const lines = [
    `${l === "id" ? "Metode" : "Method"}: ${method}${d.paymentChannel ? ` (${s(d.paymentChannel).toUpperCase()})` : ""}`,
  ];
  if (d.payAmount) lines.push(`${l === "id" ? "Jumlah" : "Amount"}: ${rupiah(d.payAmount)}`);
  if (d.pay_vaNumber) {
    lines.push(`${l === "id" ? "Nomor virtual account" : "Virtual account number"}: ${s(d.pay_vaNumber)}`);
  }
  if (d.pay_billerCode)
    lines.push(`${l === "id" ? "Kode perusahaan" : "Biller code"}: ${s(d.pay_billerCode)}`);
  if (d.pay_deeplinkUrl)
    lines.push(`${l === "id" ? "Bayar di aplikasi" : "Pay in the app"}: ${s(d.pay_deeplinkUrl)}`);
  if (d.pay_redirectUrl)
    lines.push(`${l === "id" ? "Halaman pembayaran" : "Payment page"}: ${s(d.pay_redirectUrl)}`);
  if (d.pay_note) lines.push(s(d.pay_note));
  if (d.payBy) lines.push(`${l === "id" ? "Bayar sebelum" : "Pay before"}: ${when(d.payBy, l)} WIB`);
  return lines;
}

/** "Virtual account transfer (BCA)": the method and channel a payment used. */
function methodName(d: MessageData, l: Locale): string {
  const method = PAYMENT_METHODS[s(d.method)]?.[l] ?? s(d.method);
  return `${method}${d.paymentChannel ? ` (${s(d.paymentChannel).toUpperCase()})` : ""}`;
}

/** Why money came back without anyone asking (an automatic refund). */
const REFUND_REASONS: Record<string, Record<Locale, string>> = {
  paid_after_expiry: {
    id: "Pembayaranmu masuk setelah batas waktu pembayaran, jadi pesanannya sudah dibatalkan.",
    en: "Your payment arrived after the payment deadline, when the order had already been cancelled.",
  },
  paid_after_failure: {
    id: "Pembayaranmu masuk setelah pembayaran itu dinyatakan gagal, jadi pesanannya sudah dibatalkan.",
    en: "Your payment arrived after that payment had failed, when the order had already been cancelled.",
  },
};

/** The checkout (and its orders, when the payment service named them) a payment was for. */
function paymentReference(d: MessageData, l: Locale): string {
  const orders = s(d.orderIds);
  if (l === "id") return `checkout ${s(d.checkoutId)}${orders ? ` (pesanan ${orders})` : ""}`;
  return `checkout ${s(d.checkoutId)}${orders ? ` (order${orders.includes(",") ? "s" : ""} ${orders})` : ""}`;
}

type Template = (d: MessageData, c: TemplateContext) => Omit<Copy, "paragraphs"> & { lines: string[] };

const bi = (c: TemplateContext, id: string, en: string): string => (c.locale === "id" ? id : en);

const orderLink = (d: MessageData, c: TemplateContext, id: string, en: string) => ({
  label: bi(c, id, en),
  url: `${c.origin}/orders/${encodeURIComponent(s(d.orderId))}`,
});

const TEMPLATES: Record<MessageKind, Template> = {
  welcome: (_d, c) => ({
    subject: bi(c, "Selamat datang di Toko", "Welcome to Toko"),
    lines: [bi(c, "Akunmu sudah siap. Selamat berbelanja!", "Your account is ready. Happy shopping!")],
    action: { label: bi(c, "Mulai belanja", "Start shopping"), url: `${c.origin}/` },
  }),
  verify_email: (d, c) => ({
    subject: bi(c, "Konfirmasi alamat email kamu", "Confirm your email address"),
    lines: [
      bi(
        c,
        "Klik tautan di bawah untuk mengonfirmasi email kamu.",
        "Click the link below to confirm your email.",
      ),
      d.expiresAt
        ? bi(
            c,
            `Tautan berlaku sampai ${when(d.expiresAt, c.locale)} WIB.`,
            `The link works until ${when(d.expiresAt, c.locale)} WIB.`,
          )
        : "",
    ],
    action: c.secretUrl ? { label: bi(c, "Konfirmasi email", "Confirm email"), url: c.secretUrl } : undefined,
    footer: bi(
      c,
      "Abaikan email ini jika kamu tidak mendaftar di Toko.",
      "Ignore this email if you did not sign up for Toko.",
    ),
  }),
  password_reset: (d, c) => ({
    subject: bi(c, "Atur ulang kata sandi", "Reset your password"),
    lines: [
      bi(
        c,
        "Kami menerima permintaan untuk mengatur ulang kata sandimu.",
        "We received a request to reset your password.",
      ),
      d.expiresAt
        ? bi(
            c,
            `Tautan berlaku sampai ${when(d.expiresAt, c.locale)} WIB.`,
            `The link works until ${when(d.expiresAt, c.locale)} WIB.`,
          )
        : "",
    ],
    action: c.secretUrl
      ? { label: bi(c, "Atur ulang kata sandi", "Reset password"), url: c.secretUrl }
      : undefined,
    footer: bi(
      c,
      "Jika bukan kamu yang meminta, abaikan email ini; kata sandimu tidak berubah.",
      "If you did not ask for this, ignore this email; your password stays the same.",
    ),
  }),
  order_placed: (d, c) => ({
    subject: bi(c, "Pesanan dibuat, segera bayar", "Order placed: please pay"),
    lines: [
      bi(
        c,
        `Pesanan ${s(d.orderId)} sebesar ${rupiah(d.total)} menunggu pembayaran.`,
        `Order ${s(d.orderId)} of ${rupiah(d.total)} is waiting for payment.`,
      ),
      paymentLines(d, c.locale).join("\n"),
    ],
    action: orderLink(d, c, "Lihat pesanan", "View order"),
  }),
  order_paid: (d, c) => ({
    subject: bi(c, "Pembayaran diterima", "Payment received"),
    lines: [
      bi(
        c,
        `Pembayaran pesanan ${s(d.orderId)} (${rupiah(d.total)}) sudah kami terima. Penjual akan segera memprosesnya.`,
        `We received the payment for order ${s(d.orderId)} (${rupiah(d.total)}). The seller will process it soon.`,
      ),
    ],
    action: orderLink(d, c, "Lihat pesanan", "View order"),
  }),
  order_cancelled: (d, c) => ({
    subject: bi(c, "Pesanan dibatalkan", "Order cancelled"),
    lines: [
      bi(
        c,
        `Pesanan ${s(d.orderId)} dibatalkan (${s(d.reason) || "-"}).`,
        `Order ${s(d.orderId)} was cancelled (${s(d.reason) || "-"}).`,
      ),
    ],
    action: orderLink(d, c, "Lihat pesanan", "View order"),
  }),
  order_accepted: (d, c) => ({
    subject: bi(c, "Pesanan sedang disiapkan", "Your order is being prepared"),
    lines: [bi(c, `Penjual menerima pesanan ${s(d.orderId)}.`, `The seller accepted order ${s(d.orderId)}.`)],
    action: orderLink(d, c, "Lihat pesanan", "View order"),
  }),
  order_shipped: (d, c) => ({
    subject: bi(c, "Pesanan dikirim", "Your order has shipped"),
    lines: [
      bi(
        c,
        `Pesanan ${s(d.orderId)} dikirim dengan ${s(d.carrier).toUpperCase()} ${s(d.service)}, nomor resi ${s(d.awb)}.`,
        `Order ${s(d.orderId)} shipped with ${s(d.carrier).toUpperCase()} ${s(d.service)}, tracking number ${s(d.awb)}.`,
      ),
    ],
    action: orderLink(d, c, "Lacak pesanan", "Track order"),
  }),
  out_for_delivery: (d, c) => ({
    subject: bi(c, "Kurir menuju alamatmu", "Out for delivery"),
    lines: [
      bi(c, `Paket ${s(d.awb)} sedang diantar hari ini.`, `Parcel ${s(d.awb)} is out for delivery today.`),
    ],
    action: orderLink(d, c, "Lacak pesanan", "Track order"),
  }),
  delivery_failed: (d, c) => ({
    subject: bi(c, "Pengiriman gagal", "Delivery attempt failed"),
    lines: [
      bi(
        c,
        `Kurir gagal mengantar paket ${s(d.awb)}. Kurir akan mencoba lagi.`,
        `The courier could not deliver parcel ${s(d.awb)}. They will try again.`,
      ),
    ],
    action: orderLink(d, c, "Lacak pesanan", "Track order"),
  }),
  order_delivered: (d, c) => ({
    subject: bi(c, "Pesanan tiba", "Order delivered"),
    lines: [
      bi(
        c,
        `Pesanan ${s(d.orderId)} sudah sampai. Konfirmasi penerimaan atau ajukan pengembalian${d.completeBy ? ` sebelum ${when(d.completeBy, c.locale)} WIB` : ""}.`,
        `Order ${s(d.orderId)} was delivered. Confirm receipt or ask for a return${d.completeBy ? ` before ${when(d.completeBy, c.locale)} WIB` : ""}.`,
      ),
    ],
    action: orderLink(d, c, "Konfirmasi", "Confirm"),
  }),
  order_completed: (d, c) => ({
    subject: bi(c, "Pesanan selesai", "Order completed"),
    lines: [
      bi(
        c,
        `Pesanan ${s(d.orderId)} selesai. Yuk beri ulasan!`,
        `Order ${s(d.orderId)} is complete. Leave a review!`,
      ),
    ],
    action: orderLink(d, c, "Beri ulasan", "Write a review"),
  }),
  order_refunded: (d, c) => ({
    subject: bi(c, "Dana dikembalikan", "Refund issued"),
    lines: [
      bi(
        c,
        `${rupiah(d.amount)} untuk pesanan ${s(d.orderId)} sudah dikembalikan.`,
        `${rupiah(d.amount)} for order ${s(d.orderId)} was refunded.`,
      ),
    ],
    action: orderLink(d, c, "Lihat pesanan", "View order"),
  }),
  payment_failed: (d, c) => ({
    subject: bi(c, "Pembayaran gagal", "Payment failed"),
    lines: [
      bi(
        c,
        `Pembayaran untuk ${paymentReference(d, "id")} gagal atau ditolak${d.reason ? ` (${s(d.reason)})` : ""}.`,
        `The payment for ${paymentReference(d, "en")} failed or was declined${d.reason ? ` (${s(d.reason)})` : ""}.`,
      ),
      d.method ? `${bi(c, "Metode", "Method")}: ${methodName(d, c.locale)}` : "",
      bi(
        c,
        "Pesanannya dibatalkan dan tidak ada dana yang diambil. Pesan lagi lalu bayar ulang, atau pilih metode pembayaran lain.",
        "The order was cancelled and no money was taken. Order again and pay again, or choose another payment method.",
      ),
    ],
    action: { label: bi(c, "Lihat pesanan", "View orders"), url: `${c.origin}/orders` },
  }),
  refund_sent: (d, c) => ({
    subject: bi(c, "Dana dikirim kembali", "Refund sent"),
    lines: [
      d.method
        ? bi(
            c,
            `Pengembalian dana ${rupiah(d.amount)} sudah dikirim ke ${methodName(d, "id")}.`,
            `Your refund of ${rupiah(d.amount)} has been sent to your ${methodName(d, "en")}.`,
          )
        : bi(
            c,
            `Pengembalian dana ${rupiah(d.amount)} sudah dikirim.`,
            `Your refund of ${rupiah(d.amount)} has been sent.`,
          ),
      REFUND_REASONS[s(d.reason)]?.[c.locale] ?? "",
      `${bi(c, "Untuk", "For")}: ${paymentReference(d, c.locale)}`,
    ],
    action: { label: bi(c, "Lihat pesanan", "View orders"), url: `${c.origin}/orders` },
  }),
  return_approved: (d, c) => ({
    subject: bi(c, "Pengembalian disetujui", "Return approved"),
    lines: [
      bi(
        c,
        `Penjual menyetujui pengembalian untuk pesanan ${s(d.orderId)}. Kirim paketnya kembali.`,
        `The seller approved the return for order ${s(d.orderId)}. Please send the parcel back.`,
      ),
    ],
    action: orderLink(d, c, "Lihat pesanan", "View order"),
  }),
  return_rejected: (d, c) => ({
    subject: bi(c, "Pengembalian ditolak", "Return rejected"),
    lines: [
      bi(
        c,
        `Penjual menolak pengembalian untuk pesanan ${s(d.orderId)}: ${s(d.reason)}`,
        `The seller rejected the return for order ${s(d.orderId)}: ${s(d.reason)}`,
      ),
    ],
    action: orderLink(d, c, "Lihat pesanan", "View order"),
  }),
  new_order: (d, c) => ({
    subject: bi(c, "Pesanan baru", "New order"),
    lines: [
      bi(
        c,
        `Pesanan baru ${s(d.orderId)}: ${s(d.items)} barang, ${rupiah(d.total)}. Segera proses.`,
        `New order ${s(d.orderId)}: ${s(d.items)} items, ${rupiah(d.total)}. Please process it.`,
      ),
    ],
    action: {
      label: bi(c, "Proses pesanan", "Process order"),
      url: `${c.origin}/seller/orders/${encodeURIComponent(s(d.orderId))}`,
    },
  }),
  return_requested: (d, c) => ({
    subject: bi(c, "Permintaan pengembalian", "Return requested"),
    lines: [
      bi(
        c,
        `Pembeli meminta pengembalian untuk pesanan ${s(d.orderId)}: ${s(d.reason)}`,
        `A buyer asked to return order ${s(d.orderId)}: ${s(d.reason)}`,
      ),
    ],
    action: {
      label: bi(c, "Tinjau", "Review"),
      url: `${c.origin}/seller/orders/${encodeURIComponent(s(d.orderId))}`,
    },
  }),
  low_stock: (d, c) => ({
    subject: bi(c, `Stok menipis: ${s(d.sku)}`, `Low stock: ${s(d.sku)}`),
    lines: [
      bi(
        c,
        `Stok tersedia ${s(d.sku)} tinggal ${s(d.available)} (batas pemesanan ulang ${s(d.reorderPoint)}).`,
        `${s(d.sku)} has ${s(d.available)} available (reorder point ${s(d.reorderPoint)}).`,
      ),
    ],
    action: { label: bi(c, "Kelola stok", "Manage stock"), url: `${c.origin}/seller/inventory` },
  }),
  campaign: (d, c) => ({
    subject: s(c.locale === "en" && d.subject_en ? d.subject_en : d.subject),
    lines: [s(c.locale === "en" && d.body_en ? d.body_en : d.body)],
    action: d.link
      ? {
          label: bi(c, "Lihat", "Open"),
          url: s(d.link).startsWith("/") ? `${c.origin}${s(d.link)}` : s(d.link),
        }
      : undefined,
  }),
};

/** A message's copy in the recipient's locale: a greeting, then the template's lines. */
export function copyFor(kind: MessageKind, data: MessageData, context: TemplateContext): Copy {
  const t = TEMPLATES[kind](data, context);
  const greeting =
    context.locale === "id"
      ? `Halo${context.name ? ` ${context.name}` : ""},`
      : `Hi${context.name ? ` ${context.name}` : ""},`;
  return {
    subject: t.subject,
    paragraphs: [greeting, ...t.lines.filter((l) => l !== "")],
    action: t.action,
    footer: t.footer,
  };
}
