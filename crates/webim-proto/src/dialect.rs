//! Which client speaks, and the URL facts of each (docs/protocol.md, "Dialects"): the
//! version a service lives under, the query parameter that carries the credential, the
//! SDKAppIDs. Kept here once so the server, the browser's transport and the load client
//! cannot disagree.

use crate::Area;

/// The SDKAppID a server checks sigs against unless told otherwise (the seed's demo app).
pub const DEFAULT_SDK_APP_ID: u64 = 1_104_620_500;

/// `websdkappid`: the value webim.js 1.7 sends to name itself (not the app's SDKAppID).
pub const V17_WEB_SDK_APP_ID: &str = "537048168";

/// The query parameter with which our own SDK names its dialect.
pub const DIALECT_PARAM: &str = "dialect";

/// The value of [`DIALECT_PARAM`] that our own SDK sends.
pub const RUST_DIALECT: &str = "rust";

/// A family of clients, each answered only with what its version reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// WebIM SDK 1.0–1.2 (the seed's family): `usersig`/`accesstoken` and `identifier` on
    /// every call; its long poll reads only new-message events (1), never moves
    /// `NoticeSeq`, and would be answered again at once for anything else.
    Classic,
    /// WebIM SDK 1.7: logs in with `/v4/openim/login` and then sends `tinyid` and `a2`;
    /// every service under `/v4`; friend, profile and read events in its own shapes.
    V17,
    /// This project's SDK (the app and our webim.js): the classic URLs plus
    /// `dialect=rust`; every event in the protocol's own shapes.
    Rust,
}

impl Dialect {
    /// Tells the dialect from a request's query parameters (name, value): `websdkappid`,
    /// `tinyid` or `a2` mean 1.7; `dialect=rust` means ours; anything else is the seed's.
    pub fn of_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut dialect = Self::Classic;
        for (name, value) in params {
            match name {
                "websdkappid" | "tinyid" | "a2" => return Self::V17,
                DIALECT_PARAM if value == RUST_DIALECT => dialect = Self::Rust,
                _ => {}
            }
        }
        dialect
    }

    /// The version (`v3`, `v4`) this dialect puts before `area`'s commands.
    pub fn version(self, area: Area) -> &'static str {
        match (self, area) {
            (Self::V17, _)
            | (_, Area::OpenIm | Area::RecentContact | Area::ImOpenStat | Area::OpenPic) => "v4",
            (_, Area::Profile | Area::Sns | Area::Group) => "v3",
        }
    }

    /// True if some dialect sends `area`'s commands under `version`.
    pub fn any_sends(area: Area, version: &str) -> bool {
        [Self::Classic, Self::V17, Self::Rust]
            .into_iter()
            .any(|d| d.version(area) == version)
    }

    /// The query parameter that carries the userSig for `area` (1.0–1.2 and ours:
    /// `usersig` for openim, `accesstoken` elsewhere; 1.7 sends `usersig` only to log in).
    pub fn sig_param(area: Area) -> &'static str {
        match area {
            Area::OpenIm | Area::OpenPic => "usersig",
            _ => "accesstoken",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_the_query_tells_the_dialect() {
        let classic = [("usersig", "x"), ("identifier", "a"), ("sdkappid", "1")];
        assert_eq!(Dialect::of_query(classic), Dialect::Classic);
        let ours = [("usersig", "x"), ("dialect", "rust")];
        assert_eq!(Dialect::of_query(ours), Dialect::Rust);
        let login17 = [("websdkappid", V17_WEB_SDK_APP_ID), ("v", "1.7.0")];
        assert_eq!(Dialect::of_query(login17), Dialect::V17);
        assert_eq!(Dialect::of_query([("a2", "k")]), Dialect::V17);
        assert_eq!(Dialect::of_query([("dialect", "other")]), Dialect::Classic);
    }

    #[test]
    fn test_versions_follow_each_sdk() {
        assert_eq!(Dialect::Classic.version(Area::Sns), "v3");
        assert_eq!(Dialect::Rust.version(Area::Profile), "v3");
        assert_eq!(Dialect::V17.version(Area::Sns), "v4");
        assert_eq!(Dialect::Classic.version(Area::OpenIm), "v4");
        assert!(Dialect::any_sends(Area::Sns, "v4"));
        assert!(!Dialect::any_sends(Area::OpenIm, "v3"));
    }
}
