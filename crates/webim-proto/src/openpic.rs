//! `openpic/…`: pictures and files (docs/protocol.md, "Pictures and files"). An upload
//! comes in slices ([`pic_up`]); a message then names what was uploaded by its UUID, and
//! each reader is given addresses of its own to fetch it ([`apply_download`] for a file
//! when a client asks).

pub mod apply_download;
pub mod pic_up;
