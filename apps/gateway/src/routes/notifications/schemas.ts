import { Type } from "@sinclair/typebox";
import { PageQuery } from "../../pagination.ts";
import { pathId } from "../path-params.ts";
import { ProblemSchema } from "../problem-schema.ts";

const Timestamp = Type.String({ format: "date-time" });
const Channel = Type.Union([Type.Literal("email"), Type.Literal("sms"), Type.Literal("in_app")]);
const Category = Type.Union([
  Type.Literal("account"),
  Type.Literal("orders"),
  Type.Literal("seller"),
  Type.Literal("marketing"),
]);
const Locale = Type.Union([Type.Literal("id"), Type.Literal("en")]);

export const InboxItem = Type.Object({
  id: Type.String(),
  category: Type.String({ description: "account, orders, seller or marketing" }),
  title: Type.String(),
  body: Type.String(),
  link: Type.Optional(Type.String({ description: "a path or URL to open" })),
  read_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
});

export const InboxList = Type.Object({
  items: Type.Array(InboxItem),
  unread: Type.Integer({ description: "unread items in the whole inbox" }),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const InboxQuery = Type.Composite([
  PageQuery,
  Type.Object({ unread_only: Type.Optional(Type.Boolean({ description: "only unread items" })) }),
]);

export const NotificationParams = Type.Object({ id: pathId({ uuid: true }) });

export const Preferences = Type.Object({
  locale: Locale,
  preferences: Type.Array(
    Type.Object({
      channel: Channel,
      category: Category,
      enabled: Type.Boolean(),
      locked: Type.Boolean({
        description: "transactional messages cannot be turned off on email and in-app",
      }),
    }),
  ),
});

export const UpdatePreferencesBody = Type.Object(
  {
    locale: Type.Optional(Locale),
    preferences: Type.Optional(
      Type.Array(
        Type.Object(
          { channel: Channel, category: Category, enabled: Type.Boolean() },
          { additionalProperties: false },
        ),
        { maxItems: 12 },
      ),
    ),
  },
  { additionalProperties: false },
);

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const LocalizedText = Type.Object({ subject: Text(200), body: Text(5000) }, { additionalProperties: false });

export const CreateCampaignBody = Type.Object(
  {
    name: Text(200),
    segment: Type.Object(
      {
        category_id: Type.Optional(
          Type.String({ maxLength: 64, description: "bought in this category or below; absent = any" }),
        ),
        bought_within_days: Type.Integer({ minimum: 1, maximum: 365 }),
      },
      { additionalProperties: false, description: "buyers with a completed order in the window" },
    ),
    channel: Channel,
    template: Type.Object(
      {
        id: LocalizedText,
        en: Type.Optional(LocalizedText),
        link: Type.Optional(Type.String({ maxLength: 2048, description: "an http(s) URL or a path" })),
      },
      { additionalProperties: false, description: "plain text per locale (escaped when rendered)" },
    ),
    schedule: Type.Optional(
      Type.Object(
        {
          send_at: Type.Optional(Timestamp),
          rate_per_second: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const CampaignView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  segment: Type.Object({
    category_id: Type.Union([Type.String(), Type.Null()]),
    bought_within_days: Type.Integer(),
  }),
  channel: Type.String(),
  template: Type.Object({
    id: Type.Object({ subject: Type.String(), body: Type.String() }),
    en: Type.Union([Type.Object({ subject: Type.String(), body: Type.String() }), Type.Null()]),
    link: Type.Union([Type.String(), Type.Null()]),
  }),
  schedule: Type.Object({ send_at: Timestamp, rate_per_second: Type.Integer() }),
  status: Type.String({ description: "scheduled, sending or done" }),
  recipients: Type.Integer(),
  processed: Type.Integer(),
  sent: Type.Integer(),
  created_at: Timestamp,
});

export const CampaignParams = Type.Object({ id: pathId({ uuid: true }) });

export const UnsubscribeQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024 }) });

export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { ...ProblemSchema, description: "problem+json" }]));
