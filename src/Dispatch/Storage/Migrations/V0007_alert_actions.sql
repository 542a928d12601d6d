-- The centre console acts on alerts: who acknowledged one and when (an acknowledged alert is not
-- escalated), and who resolved it. Names are account names; the audit log keeps the same.
ALTER TABLE alerts ADD COLUMN acknowledged_at $bigint$ NULL;
ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT NULL;
ALTER TABLE alerts ADD COLUMN resolved_by TEXT NULL;
