//! Tencent's own webim.js 1.2 and 1.7.0 and its official 1.7 demo, run unchanged against a
//! real `webim-server`. Their files are Tencent's and live outside the repository
//! (`../shared/real-clients/`, or `$WEBIM_REAL_CLIENTS`); the tests read them at run time
//! and never keep them. Both SDKs call `https://webim.tim.qq.com`, so the pages are served
//! from a static host of their own with that address replaced by the server's (the server
//! allows the host's origin), and the 1.7 demo is set to its "independent" account mode
//! with the server's SDKAppID, as its own comments tell a developer to do.

use std::fs;
use std::path::{Path, PathBuf};

use crate::{HarnessError, StaticServer};

/// Which SDK a page loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sdk {
    /// `webim-1.2.js`: the seed's family.
    V12,
    /// `webim-1.7.0.js`.
    V17,
}

impl Sdk {
    /// As the page's `sdk=` parameter says it.
    pub fn name(self) -> &'static str {
        match self {
            Self::V12 => "1.2",
            Self::V17 => "1.7",
        }
    }

    fn file(self) -> &'static str {
        match self {
            Self::V12 => "webim-1.2.js",
            Self::V17 => "webim-1.7.0.js",
        }
    }
}

/// Tencent's hosts in the SDKs, each answered by the server instead.
const TENCENT_HOSTS: [&str; 3] = [
    "https://webim.tim.qq.com",
    "https://pic.tim.qq.com",
    "https://test.tim.qq.com",
];
/// Tencent's hosted login script, which the 1.7 demo loads before anything else.
const TLS_SCRIPT: &str = "https://tls.qcloud.com/libs/api.min.js";

/// This harness's own scripts (the probe and the seed-guide page).
fn own_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("real-clients")
        .join(name)
}

fn failed(what: impl std::fmt::Display) -> HarnessError {
    HarnessError::Timeout(format!("the real clients' pages: {what}"))
}

/// A static host of pages on Tencent's files, talking to one server.
#[derive(Debug)]
pub struct RealClients {
    host: StaticServer,
    dir: tempfile::TempDir,
}

impl RealClients {
    /// Where Tencent's files are, if they are on this machine: `$WEBIM_REAL_CLIENTS`, else
    /// `../shared/real-clients` beside the repository.
    pub fn source() -> Option<PathBuf> {
        let dir = std::env::var_os("WEBIM_REAL_CLIENTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/real-clients")
            });
        dir.join("webim-1.7.0.js").is_file().then_some(dir)
    }

    /// Starts the host; [`RealClients::point_at`] then writes its pages for a server.
    pub fn start() -> Result<Self, HarnessError> {
        let dir = tempfile::tempdir().map_err(failed)?;
        fs::write(
            dir.path().join("index.html"),
            "<!doctype html><title>clients</title>",
        )
        .map_err(failed)?;
        let host = StaticServer::start(dir.path()).map_err(failed)?;
        Ok(Self { host, dir })
    }

    /// The host's origin (for the server's `--allow-origin`).
    pub fn url(&self) -> String {
        self.host.url()
    }

    /// Writes the pages, Tencent's hosts replaced by `server` (which checks sigs for
    /// `sdk_app_id`).
    pub fn point_at(&self, server: &str, sdk_app_id: u64) -> Result<(), HarnessError> {
        let source = Self::source().ok_or_else(|| failed("../shared/real-clients is absent"))?;
        let root = self.dir.path();
        let redirect = |text: String| {
            TENCENT_HOSTS
                .iter()
                .fold(text, |text, host| text.replace(host, server))
        };
        let read = |path: &Path| fs::read_to_string(path).map_err(failed);
        for sdk in [Sdk::V12, Sdk::V17] {
            fs::write(
                root.join(sdk.file()),
                redirect(read(&source.join(sdk.file()))?),
            )
            .map_err(failed)?;
            let page = format!(
                "<!doctype html><meta charset=\"utf-8\"><title>webim.js {0}</title>\
                 <script src=\"probe.js\"></script><script src=\"json2.js\"></script>\
                 <script src=\"{1}\"></script><script src=\"client.js\"></script>",
                sdk.name(),
                sdk.file()
            );
            fs::write(root.join(format!("client-{}.html", sdk.name())), page).map_err(failed)?;
        }
        for (from, to) in [
            (source.join("json2.js"), "json2.js"),
            (own_file("probe.js"), "probe.js"),
            (own_file("client.js"), "client.js"),
        ] {
            fs::copy(from, root.join(to)).map_err(failed)?;
        }
        let demo = root.join("demo");
        copy_tree(&source.join("demo-1.7"), &demo)?;
        let sdk = demo.join("sdk").join("webim.js");
        fs::write(&sdk, redirect(read(&sdk)?)).map_err(failed)?;
        fs::copy(own_file("probe.js"), demo.join("probe.js")).map_err(failed)?;
        fs::write(
            demo.join("tls-stub.js"),
            "// Tencent's hosted login is not used.\n",
        )
        .map_err(failed)?;
        let index = read(&demo.join("index.html"))?;
        let patched = patch_demo(&index, sdk_app_id)
            .ok_or_else(|| failed("the 1.7 demo's index.html is not the one expected"))?;
        fs::write(demo.join("index.html"), patched).map_err(failed)
    }

    /// A page on `sdk` logged in (once its `T.login` runs) as `me` with `sig`.
    pub fn client(&self, sdk: Sdk, me: &str, sig: &str, sdk_app_id: u64) -> String {
        format!(
            "{}/client-{}.html?sdk={}&me={me}&sig={sig}&app={sdk_app_id}",
            self.url(),
            sdk.name(),
            sdk.name()
        )
    }

    /// The official 1.7 demo.
    pub fn demo(&self) -> String {
        format!("{}/demo/index.html", self.url())
    }
}

/// The 1.7 demo in its independent account mode (identifier and userSig typed in) for
/// the server's SDKAppID, with Tencent's hosted login stubbed and the probe loaded first.
fn patch_demo(index: &str, sdk_app_id: u64) -> Option<String> {
    let replacements = [
        ("var accountMode = 1;", "var accountMode = 0;".to_owned()),
        (
            "var sdkAppID = 1400001533;",
            format!("var sdkAppID = {sdk_app_id};"),
        ),
        (TLS_SCRIPT, "tls-stub.js".to_owned()),
        (
            "<head>",
            "<head><script src=\"probe.js\"></script>".to_owned(),
        ),
    ];
    replacements
        .into_iter()
        .try_fold(index.to_owned(), |page, (from, to)| {
            page.contains(from).then(|| page.replacen(from, &to, 1))
        })
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), HarnessError> {
    fs::create_dir_all(to).map_err(failed)?;
    for entry in fs::read_dir(from).map_err(failed)? {
        let entry = entry.map_err(failed)?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(failed)?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target).map_err(failed)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_the_demo_is_patched_only_where_expected() {
        let page = "<html><head><script src=\"https://tls.qcloud.com/libs/api.min.js\"></script>\
                    var accountMode = 1; var sdkAppID = 1400001533;";
        let patched = patch_demo(page, 7).unwrap();
        assert!(patched.contains("var accountMode = 0;"));
        assert!(patched.contains("var sdkAppID = 7;"));
        assert!(patched.contains("tls-stub.js"));
        assert!(patched.starts_with("<html><head><script src=\"probe.js\">"));
        assert_eq!(patch_demo("<head>", 7), None);
    }
}
