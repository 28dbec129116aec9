// The public API's shapes the web app reads (API.md). Only the fields the screens use.
import type { Money } from "./money.ts";

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Category {
  id: string;
  slug: string;
  name: string;
  children: Category[];
}

export interface Variant {
  id: string;
  sku: string;
  options: Record<string, string>;
  price: Money;
  base_price?: Money;
  stock_status: string;
}

export interface Product {
  id: string;
  shop_id: string;
  shop?: { slug: string; name: string; city: string };
  title: string;
  description: string;
  category_id: string;
  condition: string;
  weight_grams: number;
  images: string[];
  status: string;
  variants: Variant[];
  rating: { average: number; count: number };
  sold_count?: number;
}

export interface Shop {
  id: string;
  slug: string;
  name: string;
  city: string;
  province: string;
  description?: string;
}

export interface CartLine {
  variant_id: string;
  product_id: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  image_url: string | null;
  quantity: number;
  unit_price: Money;
  line_total: Money;
  stock_status: string;
  problems: (string | { code?: string; message?: string })[];
}

export interface CartShop {
  shop: { id: string; name: string; city: string };
  lines: CartLine[];
  subtotal: Money;
  discount: Money;
}

export interface Cart {
  shops: CartShop[];
  vouchers: { code: string; discount: Money }[];
  totals: { subtotal: Money; discount: Money; shipping: Money; service_fee: Money; grand_total: Money };
  cart_token?: string;
}

export interface ShippingOption {
  id: string;
  carrier: string;
  service: string;
  price: Money;
  etd_days: { min: number; max: number };
}

export interface Address {
  id: string;
  label: string;
  recipient: string;
  phone: string;
  street: string;
  district: string;
  city: string;
  province: string;
  postal_code: string;
  is_default: boolean;
}

export interface OrderLine {
  line_id?: string;
  variant_id?: string;
  product_id?: string;
  sku?: string;
  title?: string;
  quantity: number;
  unit_price?: Money;
  line_total?: Money;
}

export interface Order {
  id: string;
  checkout_id: string;
  shop_id: string;
  status: string;
  lines: OrderLine[];
  totals: {
    total?: Money;
    grand_total?: Money;
    subtotal?: Money;
    shipping?: Money;
    [k: string]: Money | undefined;
  };
  history: { status: string; at: string }[];
  shipment?: { shipment_id?: string; id?: string; awb?: string; carrier?: string; service?: string } | null;
  returns?: {
    id: string;
    status: string;
    reason: string;
    lines?: { line_id: string; sku: string; quantity: number }[];
  }[];
  payment_id?: string;
  created_at?: string;
}

/** An order's total, whichever name the server gives it. */
export function orderTotal(o: Pick<Order, "totals">): Money | undefined {
  return o.totals.total ?? o.totals.grand_total;
}

/** An order line's name for people: its title when the server sends one, else its SKU. */
export function lineName(l: OrderLine): string {
  return l.title ?? l.sku ?? "";
}

export interface Payment {
  id: string;
  method: string;
  status: string;
  amount: Money;
  expires_at: string | null;
  instructions: Record<string, unknown> | null;
}
