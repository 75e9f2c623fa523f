//! A hostile review's findings (SECURITY.md), each reproduced against the real router or
//! the real binary: what one person with no account, or one logged-in person, could do to
//! the server, and now cannot.

mod binary;
mod connections;
mod deploy;
mod logins;
mod polls;
mod small;
mod uploads;
