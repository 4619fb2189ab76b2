-- Organization sweeps (mirror of sqlite/005): a sweep is a scan with what it covered (its fingerprint and
-- window, so a sweep started again can resume it), and one row per member account saved as soon as that
-- account is done, so accounts finished before a crash or a retry are not scanned again.
ALTER TABLE scans ADD COLUMN sweep JSONB;

CREATE TABLE sweep_accounts (
  scan_id TEXT NOT NULL REFERENCES scans (id),
  account TEXT NOT NULL,
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  status TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  data JSONB NOT NULL,
  PRIMARY KEY (scan_id, account)
);
