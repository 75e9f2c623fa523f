-- Passwords of real accounts (the server's own; the service knows nothing of them).
-- The account itself (nick, gender, who may add it, disabled) is in `accounts`.
CREATE TABLE credentials (
    account       TEXT PRIMARY KEY NOT NULL,
    password_hash TEXT NOT NULL,   -- Argon2id, PHC string format
    updated_at    INTEGER NOT NULL -- Unix seconds
) WITHOUT ROWID;
