-- Rebooking safely after a partner gives a booking up.

-- When the ride last began waiting for a partner: the hand-over clock.
ALTER TABLE rides ADD COLUMN waiting_since BIGINT NULL;
UPDATE rides SET waiting_since = created_at WHERE waiting_since IS NULL;

-- Raised at each rebooking, and part of the idempotency key partners see (ride id, then ride id:n).
ALTER TABLE rides ADD COLUMN key_generation BIGINT NOT NULL DEFAULT 0;

-- Bookings given up by their partner or cancelled by Alice: never taken back for a ride.
CREATE TABLE dead_bookings (
    partner    TEXT    NOT NULL,
    booking_id TEXT    NOT NULL,
    ride_id    TEXT    NOT NULL,
    at         BIGINT  NOT NULL,
    PRIMARY KEY (partner, booking_id)
);
