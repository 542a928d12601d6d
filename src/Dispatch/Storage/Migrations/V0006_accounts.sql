-- Staff and organiser accounts (ASP.NET Core Identity, src/Accounts) and the audit of what people do.
-- An account has a login name chosen by the operator and one role; no e-mail address, no phone number.

CREATE TABLE accounts (
    id                   TEXT    PRIMARY KEY,
    user_name            TEXT    NOT NULL,
    normalized_user_name TEXT    NOT NULL UNIQUE,
    role                 TEXT    NOT NULL,
    -- Null until the account is enrolled from its one-time link.
    password_hash        TEXT    NULL,
    security_stamp       TEXT    NOT NULL,
    concurrency_stamp    TEXT    NOT NULL,
    -- The authenticator app's secret, encrypted with Data Protection.
    authenticator_key    TEXT    NULL,
    two_factor_enabled   INTEGER NOT NULL,
    -- SHA-256 hashes of the unused recovery codes, ';'-separated.
    recovery_codes       TEXT    NOT NULL,
    lockout_end          $bigint$ NULL,
    access_failed_count  INTEGER NOT NULL,
    disabled_at          $bigint$ NULL,
    created_at           $bigint$ NOT NULL
);

-- Who did what, when, to what (an account name, an alert, a booking reference). Nothing about a caller.
CREATE TABLE audit_log (
    id      TEXT    PRIMARY KEY,
    at      $bigint$ NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    subject TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
