-- Pictures and files (webim_service::store::Table::{Uploads, Attachments}): uploads under
-- way and each account's kept bytes, and the finished attachments a message may name.
-- Their bytes are in blob_data and blob_chunks (0004).
CREATE TABLE uploads     (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE attachments (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
