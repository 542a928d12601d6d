-- A caller who pressed the key after the booking code gets the car by text message. Without that key
-- press nothing is written here. The caller's number is held only in this table, encrypted with Data
-- Protection under a purpose of its own, and the row is deleted once the message naming the car is
-- sent, when the ride is handed to a person, the passenger is on board or the ride has ended, or at
-- expires_at (two hours after the key press), whichever comes first.
CREATE TABLE sms_consents (
    ride_id           TEXT    PRIMARY KEY,
    number_protected  TEXT    NOT NULL,
    expires_at        $bigint$ NOT NULL,
    -- The booking last texted, as the ride's key generation (a rebooking makes a new one): NULL before
    -- the first message; a ride on another generation is texted again, as a change of taxi.
    texted_generation INTEGER NULL,
    -- While Twilio fails: how many tries failed in a row, and when to try again.
    failures          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   $bigint$ NULL
);
-- On PostgreSQL nothing on this table is granted to alice_admin: the organisers' panel never reads a number, even encrypted.
