-- Login attempts, counted per key (`account:NAME`, `address:IP`) over a sliding window by
-- the login throttle. Kept in the database so a restart forgets nothing; rows older than
-- the window are deleted by the next login.
CREATE TABLE login_attempts (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  INTEGER NOT NULL -- Unix milliseconds
);
CREATE INDEX login_attempts_by_key ON login_attempts (key, at);
CREATE INDEX login_attempts_by_time ON login_attempts (at);
