-- Coordination between processes sharing the database (the same tables a PostgreSQL deployment of
-- several replicas uses): named leases for work one process at a time may do (the sweep), a per-channel
-- posting schedule, and at most one live undo per request, decided by the database.
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  lease_until TEXT NOT NULL
);

CREATE TABLE channel_schedule (
  channel TEXT PRIMARY KEY,
  next_slot_ms INTEGER NOT NULL
);

ALTER TABLE requests ADD COLUMN undo_of TEXT;
UPDATE requests SET undo_of = json_extract(data, '$.undoOf');
CREATE UNIQUE INDEX requests_one_live_undo ON requests (undo_of)
  WHERE undo_of IS NOT NULL AND status IN ('pending', 'executing', 'succeeded');
