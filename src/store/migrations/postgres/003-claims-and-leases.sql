-- Decisions in the database, not in a process: one running scan per channel, owners with leases for
-- claimed work (scans, executing requests), idempotent request creation, announcements made once.
ALTER TABLE scans ALTER COLUMN thread_ts DROP NOT NULL;
ALTER TABLE scans ADD COLUMN owner JSONB;
ALTER TABLE scans ADD COLUMN owner_id TEXT;
ALTER TABLE scans ADD COLUMN lease_until TEXT;
ALTER TABLE scans ADD COLUMN finished_at TEXT;
ALTER TABLE scans ADD COLUMN reason TEXT;
CREATE INDEX scans_status ON scans (status);
-- The claim: a second running scan in the same channel is refused by the database itself.
CREATE UNIQUE INDEX scans_one_running_per_channel ON scans (channel) WHERE status = 'running';

ALTER TABLE requests ADD COLUMN idempotency_key TEXT;
ALTER TABLE requests ADD COLUMN owner_id TEXT;
ALTER TABLE requests ADD COLUMN lease_until TEXT;
ALTER TABLE requests ADD COLUMN announced_at TEXT;
CREATE UNIQUE INDEX requests_idempotency_key ON requests (idempotency_key) WHERE idempotency_key IS NOT NULL;
