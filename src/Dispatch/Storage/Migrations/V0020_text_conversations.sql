-- A taxi booked by text message. One row a conversation, written at the sender's first message and
-- deleted when its ride no longer needs replies (passenger on board, at the centre, handed to a person,
-- ended) or at expires_at (two hours after the first message), whichever comes first. The sender's number
-- and the conversation's language are held only here, encrypted together with Data Protection under a
-- purpose of their own; no message text is stored, nor any message SID.
CREATE TABLE text_conversations (
    id               TEXT     PRIMARY KEY,
    campus_id        TEXT     NOT NULL,
    sender_protected TEXT     NOT NULL,
    -- The ride the conversation booked, once a pickup point was chosen.
    ride_id          TEXT     NULL,
    -- Messages the service could not understand in a row: the second asks for a person.
    not_understood   INTEGER  NOT NULL DEFAULT 0,
    -- When the sender asked for a person in writing ("0", or not understood twice): one alert a conversation.
    person_asked_at  $bigint$ NULL,
    expires_at       $bigint$ NOT NULL
);
-- On PostgreSQL nothing on this table is granted to alice_admin: the organisers' panel never reads a number, even encrypted.
