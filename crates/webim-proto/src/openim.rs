//! `openim/…`: one-to-one messages, sync, long polling, read reports, logout, history.

pub mod getmsg;
pub mod getroammsg;
pub mod logout;
pub mod longpolling;
pub mod msgreaded;
pub mod sendmsg;
