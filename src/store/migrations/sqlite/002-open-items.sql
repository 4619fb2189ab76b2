-- The incident checklist: open items per channel. Like requests, the item is kept as JSON and the
-- columns filtered or compared on are copied out.
CREATE TABLE open_items (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  key TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data)),
  UNIQUE (channel, key)
);
CREATE INDEX open_items_channel ON open_items (channel, created_at);
