-- A taxi partner without an API runs its bookings on the partner page (Partners:Providers:N:Mode = Console):
-- a Partner account works for one such partner, by its configured name (NULL for every other role).
ALTER TABLE accounts ADD COLUMN partner TEXT NULL;
