-- The bytes of pictures and files, in the database every process shares: a blob's row
-- says how far it has been written and whether it is finished, its chunks hold the bytes
-- (one per write, at most a slice each, so no row is large and a read fetches only the
-- chunks it needs).
CREATE TABLE blobs (
    id       TEXT PRIMARY KEY,
    size     BIGINT NOT NULL,
    finished BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE blob_chunks (
    id     TEXT NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    at     BIGINT NOT NULL, -- the chunk's offset in the blob
    bytes  BYTEA NOT NULL,
    PRIMARY KEY (id, at)
);
