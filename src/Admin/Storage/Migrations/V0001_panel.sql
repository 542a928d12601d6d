-- The organisers' panel's own store: its accounts, its audit and its Data Protection key ring. The
-- dispatch service never opens it; the panel opens nothing of the service's but the published totals.
-- One script for both databases: SQLite reads BIGINT as an integer column, PostgreSQL as 64 bits.

-- The same columns as the service's accounts (src/Accounts/AccountStore.cs reads both), for the panel's
-- own people only: organisers and operators. A Centre account cannot exist here.
CREATE TABLE accounts (
    id                      TEXT    PRIMARY KEY,
    user_name               TEXT    NOT NULL,
    normalized_user_name    TEXT    NOT NULL UNIQUE,
    role                    TEXT    NOT NULL CHECK (role IN ('Organiser', 'Operator')),
    -- Null until the account is enrolled from its one-time link.
    password_hash           TEXT    NULL,
    security_stamp          TEXT    NOT NULL,
    concurrency_stamp       TEXT    NOT NULL,
    -- The authenticator app's secret, encrypted with the panel's Data Protection.
    authenticator_key       TEXT    NULL,
    two_factor_enabled      INTEGER NOT NULL,
    recovery_codes          TEXT    NOT NULL,
    lockout_end             BIGINT NULL,
    access_failed_count     INTEGER NOT NULL,
    disabled_at             BIGINT NULL,
    created_at              BIGINT  NOT NULL,
    -- The last authenticator time step accepted: a code is accepted once.
    authenticator_last_step BIGINT NULL
);

-- Who did what in the panel, when, to which account.
CREATE TABLE audit_log (
    id      TEXT    PRIMARY KEY,
    at      BIGINT  NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    subject TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- The panel's own key ring (application name Alice.Admin), each key encrypted with the panel's own
-- DataProtection:KeyEncryptionKey outside Development.
CREATE TABLE data_protection_keys (
    name       TEXT    PRIMARY KEY,
    xml        TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
