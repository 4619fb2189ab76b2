-- The incident checklist: open items per channel, kept as JSON with the compared columns copied out.
CREATE TABLE open_items (
  id TEXT PRIMARY KEY,
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  channel TEXT NOT NULL,
  key TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  data JSONB NOT NULL,
  UNIQUE (channel, key)
);
CREATE INDEX open_items_channel ON open_items (channel, created_at);
