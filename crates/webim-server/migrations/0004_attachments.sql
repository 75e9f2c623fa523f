-- Pictures and files (webim_service::store::Table::{Uploads, Attachments}): uploads under
-- way and each account's kept bytes, and the finished attachments a message may name.
-- Their bytes are files under the data directory's blobs/ folder.
CREATE TABLE uploads     (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE attachments (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
