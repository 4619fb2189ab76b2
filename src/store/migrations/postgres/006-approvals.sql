-- Approvals as real teams need them (mirror of sqlite/006): each approver of a request once (the primary
-- key), when they approved (an approval counts only while it is fresher than the execution TTL), and
-- whether it was a break-glass run by one responder alone. The claim pending -> executing counts these
-- rows itself.
CREATE TABLE approvals (
  request_id TEXT NOT NULL REFERENCES requests (id),
  "user" TEXT NOT NULL,
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  approved_at TEXT NOT NULL,
  break_glass BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (request_id, "user")
);

-- Break-glass runs still waiting for a second responder's review (listed by /aws-ir status).
ALTER TABLE requests ADD COLUMN break_glass_by TEXT;
ALTER TABLE requests ADD COLUMN reviewed_at TEXT;
CREATE INDEX requests_unreviewed ON requests (channel) WHERE break_glass_by IS NOT NULL AND reviewed_at IS NULL;
