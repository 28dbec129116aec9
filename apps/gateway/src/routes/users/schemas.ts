import { Type } from "@sinclair/typebox";
import { ListOf, PageQuery } from "../../pagination.ts";
import { pathId } from "../path-params.ts";
import { ProblemSchema } from "../problem-schema.ts";

const Timestamp = Type.String({ format: "date-time" });

// In every `X | null` union, Null comes first: Fastify's Ajv coerces types, and with the number
// branch first a JSON null would be coerced to 0 (and serialised as 0) instead of staying null.

export const RegisterBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({
      minLength: 1,
      maxLength: 1024,
      description: "8–128 characters, not a common password",
    }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    phone: Type.Optional(
      Type.String({ maxLength: 32, description: "Indonesian number, e.g. 0812-3456-7890" }),
    ),
  },
  { additionalProperties: false },
);

export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  email_verified: Type.Boolean(),
  name: Type.String(),
  phone: Type.Union([Type.Null(), Type.String()]),
  roles: Type.Array(Type.String()),
  created_at: Timestamp,
});

export const ProfilePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    phone: Type.Optional(
      Type.Union([Type.Null(), Type.String({ maxLength: 32 })], { description: "null removes it" }),
    ),
  },
  { additionalProperties: false },
);

const addressFields = {
  label: Type.String({ minLength: 1, maxLength: 30, description: "e.g. Rumah, Kantor" }),
  recipient: Type.String({ minLength: 1, maxLength: 100 }),
  phone: Type.String({ minLength: 1, maxLength: 32 }),
  street: Type.String({ minLength: 1, maxLength: 200 }),
  district: Type.String({ minLength: 1, maxLength: 100, description: "kecamatan" }),
  city: Type.String({ minLength: 1, maxLength: 100, description: "kota/kabupaten" }),
  province: Type.String({ minLength: 1, maxLength: 100 }),
  postal_code: Type.String({ minLength: 5, maxLength: 5 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  is_default: Type.Boolean(),
};
const { lat, lng, is_default, ...required } = addressFields;

export const AddressBody = Type.Object(
  { ...required, lat: Type.Optional(lat), lng: Type.Optional(lng), is_default: Type.Optional(is_default) },
  { additionalProperties: false },
);

export const AddressPatch = Type.Object(
  {
    ...Object.fromEntries(Object.entries(required).map(([k, v]) => [k, Type.Optional(v)])),
    lat: Type.Optional(Type.Union([Type.Null(), lat])),
    lng: Type.Optional(Type.Union([Type.Null(), lng])),
    is_default: Type.Optional(is_default),
  },
  { additionalProperties: false },
);

export const AddressView = Type.Object({
  id: Type.String(),
  ...required,
  lat: Type.Union([Type.Null(), Type.Number()]),
  lng: Type.Union([Type.Null(), Type.Number()]),
  is_default: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const AddressList = Type.Object({ items: Type.Array(AddressView) });
export const AddressParams = Type.Object({ id: pathId({ uuid: true }) });
export const ProductParams = Type.Object({ product_id: pathId({ uuid: true }) });
export const WishlistItemView = Type.Object({ product_id: Type.String(), added_at: Timestamp });
export const WishlistList = ListOf(WishlistItemView);

export const ResetRequestBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }) },
  { additionalProperties: false },
);
export const ResetConfirmBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 128 }),
    new_password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export const Accepted = Type.Object({ status: Type.Literal("accepted") });

export { PageQuery };

/** Problem responses a users endpoint can answer, for the OpenAPI document. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { ...ProblemSchema, description: "problem+json" }]));
