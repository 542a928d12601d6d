-- A new ride's code avoids every code a stored ride had (ended rides stay a day), not only the codes of
-- rides under way: that lookup reads every ride by its code.
CREATE INDEX rides_booking_code ON rides (booking_code);
