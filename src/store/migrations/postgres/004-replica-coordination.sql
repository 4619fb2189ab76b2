-- Coordination between replicas: named leases for work one replica at a time does (the sweep: expiry
-- and recovery), the per-channel posting schedule every replica reserves its Slack posts in, and at
-- most one live undo per request, decided by the database.
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  owner JSONB NOT NULL,
  lease_until TEXT NOT NULL
);

CREATE TABLE channel_schedule (
  channel TEXT PRIMARY KEY,
  next_slot_ms BIGINT NOT NULL
);

ALTER TABLE requests ADD COLUMN undo_of TEXT;
CREATE UNIQUE INDEX requests_one_live_undo ON requests (undo_of)
  WHERE undo_of IS NOT NULL AND status IN ('pending', 'executing', 'succeeded');
