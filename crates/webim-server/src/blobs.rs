//! Where the server keeps the bytes of pictures and files, beside its data: files in the
//! data directory next to SQLite ([`FileBlobs`]), rows of the shared database on
//! PostgreSQL ([`PgBlobs`], so every process of a cluster reads what any one wrote, and
//! one backup holds everything). Both pass the service's blob conformance suite
//! (`tests/it/blobs.rs`).

mod files;
mod postgres;

pub use files::FileBlobs;
pub use postgres::PgBlobs;
