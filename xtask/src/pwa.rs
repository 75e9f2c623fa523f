//! The service worker of a release build: `assets/sw.template.js` with the build's files
//! and a version (a hash of their names and contents) filled in, written as `dist/sw.js`.
//! A new build gives a new version, so browsers that have the old one install the new
//! worker beside it and the page offers a reload. The embedded service's worker files are
//! listed apart: kept once a page has used them, never fetched ahead (a page behind a server
//! must not download them).

use std::fs;
use std::path::Path;

use crate::error::Error;
use crate::fingerprint::is_embedded_worker;

fn failed(what: &Path, e: impl std::fmt::Display) -> Error {
    Error::Project(format!("service worker: {}: {e}", what.display()))
}

/// FNV-1a, 64 bits: a stable fingerprint (std's hasher may change between Rust versions).
pub(crate) fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The site paths of every file under `dir` the worker keeps (not the compressed twins,
/// not the page, which it keeps as `/`, not itself), sorted.
fn files(dist: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), Error> {
    for entry in fs::read_dir(dir).map_err(|e| failed(dir, e))? {
        let path = entry.map_err(|e| failed(dir, e))?.path();
        if path.is_dir() {
            files(dist, &path, out)?;
            continue;
        }
        let rel = path
            .strip_prefix(dist)
            .map_err(|e| failed(&path, e))?
            .to_string_lossy()
            .replace('\\', "/");
        // `sdk/` is webim.js for other pages and robots.txt is for crawlers: the app never
        // loads them.
        let skip = rel.ends_with(".gz")
            || rel.ends_with(".br")
            || rel == "sw.js"
            || rel == "index.html"
            || rel == "robots.txt"
            || rel.starts_with("sdk/");
        if !skip {
            out.push(format!("/{rel}"));
        }
    }
    out.sort();
    Ok(())
}

/// Writes `dist/sw.js`; how many files it keeps.
pub fn write_service_worker(root: &Path, dist: &Path) -> Result<usize, Error> {
    let template_path = root.join("assets/sw.template.js");
    let template = fs::read_to_string(&template_path).map_err(|e| failed(&template_path, e))?;
    let mut list = Vec::new();
    files(dist, dist, &mut list)?;
    let mut hash = 0xcbf2_9ce4_8422_2325;
    for file in std::iter::once("/index.html").chain(list.iter().map(String::as_str)) {
        let bytes = fs::read(dist.join(&file[1..])).map_err(|e| failed(dist, e))?;
        hash = fnv(fnv(hash, file.as_bytes()), &bytes);
    }
    let (lazy, eager): (Vec<&String>, Vec<&String>) = list
        .iter()
        .partition(|f| is_embedded_worker(f.trim_start_matches('/')));
    let names = serde_json::to_string(&eager).map_err(|e| failed(dist, e))?;
    let lazy = serde_json::to_string(&lazy).map_err(|e| failed(dist, e))?;
    let worker = template
        .replace("__VERSION__", &format!("{hash:016x}"))
        .replace("__FILES__", &names)
        .replace("__EMBEDDED__", &lazy);
    let out = dist.join("sw.js");
    fs::write(&out, worker).map_err(|e| failed(&out, e))?;
    Ok(list.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_the_worker_lists_the_build_and_changes_version_with_it() {
        let root = tempfile_dir("root");
        fs::create_dir_all(root.join("assets")).unwrap();
        fs::write(
            root.join("assets/sw.template.js"),
            "const VERSION = \"__VERSION__\"; const FILES = __FILES__; const EMBEDDED = __EMBEDDED__;",
        )
        .unwrap();
        let dist = root.join("dist");
        fs::create_dir_all(dist.join("emoticons")).unwrap();
        for (name, text) in [
            ("index.html", "<html>"),
            ("webim-0123456789abcdef.js", "js"),
            ("webim-0123456789abcdef.js.br", "packed"),
            ("emoticons/1.svg", "<svg>"),
            ("webim-worker_bg.wasm", "service"),
            ("embedded-worker.js", "loader"),
        ] {
            fs::write(dist.join(name), text).unwrap();
        }
        assert_eq!(write_service_worker(&root, &dist).unwrap(), 4);
        let first = fs::read_to_string(dist.join("sw.js")).unwrap();
        assert!(first.contains(r#"FILES = ["/emoticons/1.svg","/webim-0123456789abcdef.js"]"#));
        assert!(
            first.contains(r#"EMBEDDED = ["/embedded-worker.js","/webim-worker_bg.wasm"]"#),
            "the embedded service's files are listed apart: {first}"
        );
        fs::write(dist.join("index.html"), "<html> changed").unwrap();
        write_service_worker(&root, &dist).unwrap();
        let second = fs::read_to_string(dist.join("sw.js")).unwrap();
        assert_ne!(first, second, "a new build is a new version");
        let _ = fs::remove_dir_all(&root);
    }

    fn tempfile_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("webim-pwa-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }
}
