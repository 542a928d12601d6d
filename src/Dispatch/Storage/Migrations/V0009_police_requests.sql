-- A police request: made only by centre staff, on a ride that has arrived, when the victim asks for it.
-- What is sent is the booking reference, the centre and its contact: nothing about the victim.
CREATE TABLE police_requests (
    id              TEXT    PRIMARY KEY,
    ride_id         TEXT    NOT NULL UNIQUE,
    booking_code    TEXT    NOT NULL,
    campus          TEXT    NOT NULL,
    requested_by    TEXT    NOT NULL,
    requested_at    $bigint$ NOT NULL,
    -- Delivery to the campus's police zone: tried until it is delivered, with a pause after each failure.
    delivered_at    $bigint$ NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at $bigint$ NULL
);
CREATE INDEX police_requests_pending ON police_requests (delivered_at);
