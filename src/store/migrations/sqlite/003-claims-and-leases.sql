-- Decisions in the database, not in a process: one running scan per channel, owners with leases for
-- claimed work (scans, executing requests), idempotent request creation, announcements made once.

-- Scans: the thread is known only after the channel is claimed, so thread_ts may be empty for a while.
-- Scans a previous version left running were cut short by the upgrade's restart.
CREATE TABLE scans_v3 (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  thread_ts TEXT,
  requested_by TEXT NOT NULL,
  started_at TEXT NOT NULL,
  status TEXT NOT NULL,
  result TEXT,
  owner TEXT,
  owner_id TEXT,
  lease_until TEXT,
  finished_at TEXT,
  reason TEXT
);
INSERT INTO scans_v3 (id, channel, thread_ts, requested_by, started_at, status, result, reason)
  SELECT id, channel, thread_ts, requested_by, started_at,
         CASE WHEN status = 'running' THEN 'interrupted' ELSE status END, result,
         CASE WHEN status = 'running' THEN 'aws-ir was upgraded while this scan ran.' END
  FROM scans;
DROP TABLE scans;
ALTER TABLE scans_v3 RENAME TO scans;
CREATE INDEX scans_channel ON scans (channel, started_at);
CREATE INDEX scans_status ON scans (status);
-- The claim: a second running scan in the same channel is refused by the database itself.
CREATE UNIQUE INDEX scans_one_running_per_channel ON scans (channel) WHERE status = 'running';

ALTER TABLE requests ADD COLUMN idempotency_key TEXT;
ALTER TABLE requests ADD COLUMN owner_id TEXT;
ALTER TABLE requests ADD COLUMN lease_until TEXT;
ALTER TABLE requests ADD COLUMN announced_at TEXT;
CREATE UNIQUE INDEX requests_idempotency_key ON requests (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- Interruptions recorded before announcements were tracked were announced when they happened.
UPDATE requests SET announced_at = created_at WHERE status = 'interrupted';
