-- Shipments booked for orders (outbound) and returns, and their carrier tracking events.
CREATE TABLE shipments (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('outbound', 'return')),
  -- The order id (outbound) or return id (return): one shipment each.
  reference text NOT NULL,
  order_id text NOT NULL,
  return_id text,
  buyer_id text NOT NULL,
  shop_id text NOT NULL,
  shop_owner_id text NOT NULL,
  option_id text NOT NULL,
  carrier_code text NOT NULL,
  carrier text NOT NULL,
  service text NOT NULL,
  awb text NOT NULL,
  status text NOT NULL,
  -- Carrier time of the latest event applied to the status.
  status_at timestamptz,
  price bigint NOT NULL CHECK (price >= 0),
  chargeable_grams integer NOT NULL,
  weight_grams integer NOT NULL,
  length_cm integer NOT NULL,
  width_cm integer NOT NULL,
  height_cm integer NOT NULL,
  origin jsonb NOT NULL,
  destination jsonb NOT NULL,
  origin_city_id text NOT NULL,
  origin_city text NOT NULL,
  origin_province text NOT NULL,
  destination_city_id text NOT NULL,
  destination_city text NOT NULL,
  destination_province text NOT NULL,
  etd_min_days integer NOT NULL,
  etd_max_days integer NOT NULL,
  pickup_start timestamptz NOT NULL,
  pickup_end timestamptz NOT NULL,
  delivery_start timestamptz,
  delivery_end timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (kind, reference),
  UNIQUE (carrier_code, awb)
);

CREATE INDEX shipments_order_idx ON shipments (order_id);

CREATE TABLE tracking_events (
  id bigserial PRIMARY KEY,
  shipment_id uuid NOT NULL REFERENCES shipments (id),
  carrier_code text NOT NULL,
  -- The carrier's id of the event: a redelivered webhook carries the same one.
  event_id text NOT NULL,
  status text NOT NULL,
  occurred_at timestamptz NOT NULL,
  location text NOT NULL,
  description text NOT NULL,
  source text NOT NULL,
  received_at timestamptz NOT NULL,
  UNIQUE (carrier_code, event_id)
);

CREATE INDEX tracking_events_shipment_idx ON tracking_events (shipment_id, occurred_at, id);
