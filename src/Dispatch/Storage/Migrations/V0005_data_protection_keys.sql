-- The ASP.NET Core Data Protection key ring, shared by every instance: what one instance protects
-- (a login cookie, a value held encrypted for a short time) another can read. Outside Development
-- each key's XML is itself encrypted with the key the environment supplies.
CREATE TABLE data_protection_keys (
    name       TEXT    PRIMARY KEY,
    xml        TEXT    NOT NULL,
    created_at $bigint$ NOT NULL
);
