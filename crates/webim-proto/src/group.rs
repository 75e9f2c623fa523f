//! `group_open_http_svc/…`: groups. This product has one-to-one chat only; the one call
//! answered is the one the 1.x SDKs make at login.

pub mod get_joined_group_list;
