//! `openim/…`: one-to-one messages, sync, long polling, read reports, logout, history, and
//! what webim.js 1.7 adds around them (login, long-poll ids, download tickets).

pub mod authkey;
pub mod getlongpollingid;
pub mod getmsg;
pub mod getroammsg;
pub mod login;
pub mod logout;
pub mod longpolling;
pub mod longpollinglogout;
pub mod msgreaded;
pub mod sendmsg;
