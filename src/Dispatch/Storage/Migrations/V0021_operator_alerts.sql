-- What the operator has been told by e-mail (Operator:Smtp): one row per condition while it lasts, so that
-- instances sharing the database tell it once. The key names a partner or a kind of failure, the detail holds
-- counts: never a ride, a code, a number or a time about a ride. The row goes once its end has been told.
CREATE TABLE operator_alerts (
    condition_key TEXT     PRIMARY KEY,
    detail        TEXT     NOT NULL,
    started_at    $bigint$ NOT NULL,
    -- Last time an instance saw the condition: it is over once nobody has for Operator:ResolvedAfterSeconds.
    seen_at       $bigint$ NOT NULL,
    -- When the alert e-mail went; NULL until then.
    told_at       $bigint$ NULL,
    -- Sending: the instance that claimed it until then, the failures in a row and when to try again.
    claimed_until $bigint$ NULL,
    failures      INTEGER  NOT NULL DEFAULT 0,
    next_try_at   $bigint$ NOT NULL
);
