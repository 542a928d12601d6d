-- The safety net: every alert also reaches the campus's on-call phone, and is escalated to a second
-- number if nobody acknowledges it in time; a ride whose taxi is late at the pickup raises an alert.

-- When the on-call phone was reached, when the second number was, and the retry state while Twilio fails.
ALTER TABLE alerts ADD COLUMN notified_at $bigint$ NULL;
ALTER TABLE alerts ADD COLUMN escalated_at $bigint$ NULL;
ALTER TABLE alerts ADD COLUMN notify_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN next_notify_at $bigint$ NULL;
CREATE INDEX alerts_ride ON alerts (ride_id, kind);

-- When the partner expects the driver at the pickup point (unix seconds), from the ETA it gave.
ALTER TABLE rides ADD COLUMN eta_at $bigint$ NULL;
