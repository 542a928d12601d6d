-- Partners by name, not by their position in Partners:Providers (reordering the list while rides are
-- under way must not move them), and the hand-over deadline computed once and stored.

-- The partner being asked while the ride waits, and every partner asked so far (names, comma-separated).
ALTER TABLE rides ADD COLUMN trying_partner TEXT NULL;
ALTER TABLE rides ADD COLUMN partners_asked TEXT NOT NULL DEFAULT '';
-- When a person takes over if no partner has confirmed (unix seconds). Rides waiting at the upgrade get
-- the default of Partners:HandOverAfterSeconds (120 s); they start again with the first partner.
ALTER TABLE rides ADD COLUMN hand_over_at $bigint$ NOT NULL DEFAULT 0;
UPDATE rides SET hand_over_at = waiting_since + 120;
ALTER TABLE rides DROP COLUMN partner_index;
