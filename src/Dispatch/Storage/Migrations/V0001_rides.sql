-- A ride from a pickup point to the centre. Nothing here identifies the caller: call_key is an HMAC
-- of Twilio's CallSid under a server secret (for idempotency across Twilio retries only), and it is
-- deleted with the ride.
CREATE TABLE rides (
    id                 TEXT    PRIMARY KEY,
    booking_code       TEXT    NOT NULL,
    call_key           TEXT    NOT NULL UNIQUE,
    campus             TEXT    NOT NULL,
    pickup_point       TEXT    NOT NULL,
    language           TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    partner            TEXT    NULL,
    partner_booking_id TEXT    NULL,
    eta_minutes        $bigint$ NULL,
    created_at         $bigint$ NOT NULL,
    updated_at         $bigint$ NOT NULL,
    ended_at           $bigint$ NULL
);

-- A booking code is what the driver and the centre ask for: unique among rides still under way.
CREATE UNIQUE INDEX rides_active_booking_code ON rides (booking_code) WHERE ended_at IS NULL;
CREATE INDEX rides_status ON rides (status);
