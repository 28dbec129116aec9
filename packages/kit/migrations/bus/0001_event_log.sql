-- PostgreSQL event bus (the shared `bus` database): an append-only log split into a fixed set
-- of partitions by hash(subject), per-group offsets per partition with leases, and NOTIFY
-- wake-ups. See docs/decisions/0002-postgres-event-bus.md.
CREATE TABLE kit_bus_partitions (
  partition integer PRIMARY KEY,
  -- Highest seq appended; appends lock this row, so seqs commit in order within a partition.
  head bigint NOT NULL DEFAULT 0
);
INSERT INTO kit_bus_partitions (partition) SELECT generate_series(0, 15);

CREATE TABLE kit_bus_events (
  partition integer NOT NULL,
  seq bigint NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  source text NOT NULL,
  subject text NOT NULL,
  envelope bytea NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partition, seq)
);
-- Publishing is idempotent by event id (the relay may publish a batch twice after a crash).
CREATE UNIQUE INDEX kit_bus_events_event_id ON kit_bus_events (event_id);
CREATE INDEX kit_bus_events_published_at ON kit_bus_events (published_at);

CREATE TABLE kit_bus_offsets (
  group_name text NOT NULL,
  partition integer NOT NULL,
  committed bigint NOT NULL DEFAULT 0,
  owner text,
  lease_until timestamptz,
  PRIMARY KEY (group_name, partition)
);

-- Live replicas per group, so partitions are shared evenly and a dead one's expire.
CREATE TABLE kit_bus_members (
  group_name text NOT NULL,
  member_id text NOT NULL,
  seen_until timestamptz NOT NULL,
  PRIMARY KEY (group_name, member_id)
);
