-- The service's tables (webim_service::store::Table) in PostgreSQL: ordered text keys to
-- JSON values, one SQL table each. Keys sort bytewise (COLLATE "C"), as in IndexedDB and
-- SQLite, whatever the database's own collation: every scan of the service walks key
-- order. Values are bytes, because PostgreSQL text cannot hold a NUL and the storage
-- trait promises any text back exactly.
CREATE TABLE meta          (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE accounts      (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE friends       (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE pendency      (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE blacklist     (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE inbox         (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE conversations (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE summaries     (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE dedup         (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE counters      (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE notices       (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
