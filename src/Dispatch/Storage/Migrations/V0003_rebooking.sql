-- Rebooking safely after a partner gives a booking up.

-- When the ride last began waiting for a partner: the hand-over clock. Set when the ride is made and
-- again when a partner gives its booking up, so a late cancellation is rebooked, not handed over at once.
ALTER TABLE rides ADD COLUMN waiting_since $bigint$ NULL;
UPDATE rides SET waiting_since = created_at WHERE waiting_since IS NULL;

-- Raised at each rebooking, and part of the idempotency key partners see (ride id, then ride id:n):
-- a partner asked again after giving a booking up must make a new one, not hand back the dead one.
ALTER TABLE rides ADD COLUMN key_generation $bigint$ NOT NULL DEFAULT 0;

-- Bookings given up by their partner or cancelled by Alice: never taken back for a ride.
CREATE TABLE dead_bookings (
    partner    TEXT    NOT NULL,
    booking_id TEXT    NOT NULL,
    ride_id    TEXT    NOT NULL,
    at         $bigint$ NOT NULL,
    PRIMARY KEY (partner, booking_id)
);
