-- Scans, action requests and the append-only audit trail.
CREATE TABLE scans (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  thread_ts TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  started_at TEXT NOT NULL,
  status TEXT NOT NULL,
  result TEXT
);
CREATE INDEX scans_channel ON scans (channel, started_at);

-- The whole request is kept as JSON; the columns the store filters or compares on are copied out.
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data))
);
CREATE INDEX requests_status ON requests (status);
CREATE INDEX requests_channel ON requests (channel, created_at);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  channel TEXT,
  user TEXT,
  kind TEXT NOT NULL,
  request_id TEXT,
  scan_id TEXT,
  data TEXT NOT NULL CHECK (json_valid(data))
);
CREATE INDEX audit_channel ON audit (channel, seq);
CREATE INDEX audit_request ON audit (request_id, seq);
CREATE INDEX audit_scan ON audit (scan_id, seq);

-- The audit trail is append-only: the database itself refuses to rewrite history.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
