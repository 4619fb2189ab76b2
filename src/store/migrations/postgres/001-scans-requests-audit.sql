-- Scans, action requests and the append-only audit trail (PostgreSQL). Times are ISO-8601 UTC text, as
-- in the SQLite backend: every backend compares them the same way. `ord` keeps insertion order.
CREATE TABLE scans (
  id TEXT PRIMARY KEY,
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  channel TEXT NOT NULL,
  thread_ts TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  started_at TEXT NOT NULL,
  status TEXT NOT NULL,
  result JSONB
);
CREATE INDEX scans_channel ON scans (channel, started_at);

-- The whole request is kept as JSON; the columns the store filters or compares on are copied out.
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  data JSONB NOT NULL
);
CREATE INDEX requests_status ON requests (status);
CREATE INDEX requests_channel ON requests (channel, created_at);

CREATE TABLE audit (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at TEXT NOT NULL,
  channel TEXT,
  "user" TEXT,
  kind TEXT NOT NULL,
  request_id TEXT,
  scan_id TEXT,
  data JSONB NOT NULL
);
CREATE INDEX audit_channel ON audit (channel, seq);
CREATE INDEX audit_request ON audit (request_id, seq);
CREATE INDEX audit_scan ON audit (scan_id, seq);

-- The audit trail is append-only: the database itself refuses to rewrite history, whoever asks
-- (grants keep the app's role to SELECT and INSERT as well; see the README's "Database").
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
