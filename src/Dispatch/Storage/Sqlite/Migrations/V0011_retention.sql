-- Nothing about a caller outlives its use (SECURITY.md, retention).

-- Calls that have ended: a replayed webhook of one of them cannot book again. Only the keyed hash of
-- the CallSid, and when the row may go (to the day): nothing points to a ride, and WITHOUT ROWID keeps
-- no insertion order that would line the rows up with rides.
CREATE TABLE ended_calls (
    call_key   TEXT    PRIMARY KEY,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Twilio's own records of calls and messages, to be deleted through its REST API (its logs hold the
-- caller's number): the SID is held only encrypted (Data Protection, its own purpose) and the row is
-- erased once Twilio has deleted the record. resource is the REST resource: Calls or Messages.
CREATE TABLE twilio_deletions (
    id              TEXT    PRIMARY KEY,
    resource        TEXT    NOT NULL,
    sid_protected   TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL
);

-- The retention job finds ended rides by when they ended.
CREATE INDEX rides_ended_at ON rides (ended_at);
CREATE INDEX dead_bookings_ride ON dead_bookings (ride_id);
