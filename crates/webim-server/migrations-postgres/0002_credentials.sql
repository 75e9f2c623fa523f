-- Passwords of real accounts (the server's own; the service knows nothing of them).
-- The account itself (nick, gender, who may add it, disabled) is in `accounts`.
CREATE TABLE credentials (
    account       TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,   -- Argon2id, PHC string format
    updated_at    BIGINT NOT NULL  -- Unix seconds
);
-- Settings every server process must share: the userSig key generated on first start
-- (unless --secret-key is given), so a sig minted by one process is good at every other.
CREATE TABLE server_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
