//! Gives the embedded service's worker files content-hashed names, as trunk does for the
//! app's: trunk leaves a worker's output unhashed (`webim-worker.js`, `_bg.wasm`), which
//! would let a cache pair one build's glue with another's wasm. The loader
//! (`embedded-worker.js`, the SharedWorker's fixed address) is rewritten to name them.

use std::fs;
use std::path::Path;

use crate::error::Error;
use crate::pwa::fnv;

const LOADER: &str = "embedded-worker.js";
const GLUE: &str = "webim-worker.js";
const WASM: &str = "webim-worker_bg.wasm";

fn failed(what: &Path, e: impl std::fmt::Display) -> Error {
    Error::Project(format!("embedded worker: {}: {e}", what.display()))
}

/// The files of the embedded service's worker, by file name: the loader and trunk's
/// `webim-worker` output (hashed or not).
pub fn is_embedded_worker(name: &str) -> bool {
    name.starts_with("embedded-worker") || name.starts_with("webim-worker")
}

/// Renames the worker's glue and wasm in `dist` to hashed names and points the loader at
/// them; returns the new glue name. A build without the worker is an error: the static
/// host would have no service.
pub fn fingerprint_embedded_worker(dist: &Path) -> Result<String, Error> {
    let (loader, glue, wasm) = (dist.join(LOADER), dist.join(GLUE), dist.join(WASM));
    let read = |p: &Path| fs::read(p).map_err(|e| failed(p, e));
    let (glue_bytes, wasm_bytes) = (read(&glue)?, read(&wasm)?);
    let loader_text = fs::read_to_string(&loader).map_err(|e| failed(&loader, e))?;
    if !loader_text.contains(GLUE) || !loader_text.contains(WASM) {
        return Err(failed(&loader, format!("does not name {GLUE} and {WASM}")));
    }
    let hash = format!(
        "{:016x}",
        fnv(fnv(0xcbf2_9ce4_8422_2325, &glue_bytes), &wasm_bytes)
    );
    let (new_glue, new_wasm) = (
        format!("webim-worker-{hash}.js"),
        format!("webim-worker-{hash}_bg.wasm"),
    );
    fs::rename(&glue, dist.join(&new_glue)).map_err(|e| failed(&glue, e))?;
    fs::rename(&wasm, dist.join(&new_wasm)).map_err(|e| failed(&wasm, e))?;
    let rewritten = loader_text
        .replace(WASM, &new_wasm)
        .replace(GLUE, &new_glue);
    fs::write(&loader, rewritten).map_err(|e| failed(&loader, e))?;
    Ok(new_glue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_gets_hashed_names_and_the_loader_follows() {
        let dist = std::env::temp_dir().join(format!("webim-fp-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dist);
        fs::create_dir_all(&dist).unwrap();
        fs::write(dist.join(GLUE), "glue").unwrap();
        fs::write(dist.join(WASM), "wasm").unwrap();
        fs::write(
            dist.join(LOADER),
            r#"importScripts("./webim-worker.js"); init("./webim-worker_bg.wasm");"#,
        )
        .unwrap();
        let glue = fingerprint_embedded_worker(&dist).unwrap();
        let loader = fs::read_to_string(dist.join(LOADER)).unwrap();
        let wasm = glue.replace(".js", "_bg.wasm");
        assert!(loader.contains(&format!("./{glue}")) && loader.contains(&format!("./{wasm}")));
        assert!(dist.join(&glue).exists() && dist.join(&wasm).exists());
        assert!(!dist.join(GLUE).exists(), "the unhashed name is gone");
        assert!(
            fingerprint_embedded_worker(&dist).is_err(),
            "a second pass finds no unhashed worker"
        );
        let _ = fs::remove_dir_all(&dist);
    }
}
