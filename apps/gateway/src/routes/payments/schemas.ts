import { Type } from "@sinclair/typebox";
import { pathId } from "../path-params.ts";

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Timestamp = Type.String({ format: "date-time" });

export const PaymentIdParams = Type.Object({ id: pathId({ maxLength: 64 }) });
export const ProviderParams = Type.Object({ provider: pathId({ maxLength: 32 }) });

export const SimulateBody = Type.Object(
  { outcome: Type.Union([Type.Literal("success"), Type.Literal("failure")]) },
  { additionalProperties: false },
);

export const ReconciliationQuery = Type.Object({
  from: Type.Optional(Type.String({ format: "date-time" })),
  to: Type.Optional(Type.String({ format: "date-time" })),
});

const Instructions = Type.Object(
  {
    bank: Type.Optional(Type.String()),
    va_number: Type.Optional(Type.String()),
    biller_code: Type.Optional(Type.String({ description: "Mandiri bill payment: the biller code" })),
    deeplink_url: Type.Optional(Type.String()),
    qr_string: Type.Optional(Type.String({ description: "QRIS payload" })),
    redirect_url: Type.Optional(
      Type.String({ description: "the provider's page (card form, 3-D Secure, sandbox)" }),
    ),
    note: Type.Optional(Type.String()),
  },
  { description: "how to pay; only the method's fields are present" },
);

const RefundView = Type.Object({
  id: Type.String(),
  order_id: Type.Union([Type.String(), Type.Null()]),
  amount: Money,
  reason: Type.String(),
  status: Type.String(),
  created_at: Timestamp,
});

export const PaymentView = Type.Object({
  id: Type.String(),
  checkout_id: Type.String(),
  method: Type.String({ description: "bank_transfer_va, ewallet, credit_card or cod" }),
  channel: Type.Union([Type.String(), Type.Null()], { description: "the bank or e-wallet" }),
  status: Type.String({ description: "PENDING, SUCCEEDED, FAILED, EXPIRED, PARTIALLY_REFUNDED, REFUNDED" }),
  status_reason: Type.Union([Type.String(), Type.Null()]),
  amount: Money,
  captured: Money,
  refunded: Money,
  instructions: Instructions,
  expires_at: Timestamp,
  paid_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
  refunds: Type.Array(RefundView),
});

export const WebhookAck = Type.Object({ received: Type.Boolean(), duplicate: Type.Boolean() });

export const ReconciliationView = Type.Object({
  from: Type.Union([Timestamp, Type.Null()]),
  to: Type.Union([Timestamp, Type.Null()]),
  notifications: Type.Integer(),
  notified_captures: Money,
  ledger_captures: Money,
  ledger_refunds: Money,
  ledger_imbalance: Type.Integer({ description: "net of every posting; 0 when every transaction balanced" }),
  mismatches: Type.Array(
    Type.Object({
      payment_id: Type.String(),
      notified: Money,
      captured_in_ledger: Money,
      problem: Type.String(),
    }),
  ),
  balances: Type.Record(Type.String(), Type.Integer(), {
    description: "ledger balance per account (debit positive)",
  }),
});
