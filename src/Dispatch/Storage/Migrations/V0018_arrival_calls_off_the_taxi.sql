-- The centre marks a passenger arrived even while the ride is still being booked or a partner holds its
-- booking: the taxi is then called off.

-- The status the ride was in when the centre marked it arrived (NULL: arrived by the partner's drop-off,
-- or before this script): the board says whether a taxi was called off.
ALTER TABLE rides ADD COLUMN arrived_while TEXT NULL;
-- 1 while the partner's booking of an arrived ride is still to be cancelled: the booking sweep asks for the
-- cancellation, then clears it, so a crash between the arrival and the request loses no cancellation.
ALTER TABLE rides ADD COLUMN cancel_owed $bigint$ NOT NULL DEFAULT 0;
