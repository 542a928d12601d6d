-- The second factor done right (src/Accounts):
-- a code logs in once: the 30-second step of the last code a login took, later codes only (AuthenticatorCodes);
ALTER TABLE accounts ADD COLUMN authenticator_last_step $bigint$ NULL;
-- recovery codes are stored under a salted slow hash (PBKDF2, RecoveryCodeHash). The unsalted SHA-256 of
-- earlier releases cannot be turned into it (the codes are not known): they go. Whoever still needs one asks
-- for a second-factor reset; the authenticator app keeps working as before.
UPDATE accounts SET recovery_codes = '' WHERE recovery_codes <> '';
