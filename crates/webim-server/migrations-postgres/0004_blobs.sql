-- The bytes of pictures and files, in the database every process shares: a blob's row
-- (blob_data; the service's own records of uploads live in its tables, not here)
-- says how far it has been written and whether it is finished, its chunks hold the bytes
-- (one per write, at most a slice each, so no row is large and a read fetches only the
-- chunks it needs).
CREATE TABLE blob_data (
    id       TEXT PRIMARY KEY,
    size     BIGINT NOT NULL,
    finished BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE blob_chunks (
    id     TEXT NOT NULL REFERENCES blob_data (id) ON DELETE CASCADE,
    at     BIGINT NOT NULL, -- the chunk's offset in the blob
    bytes  BYTEA NOT NULL,
    PRIMARY KEY (id, at)
);
