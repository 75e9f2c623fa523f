//! webim.js in the release: `crates/webim-js` built for the browser, its
//! wasm-bindgen glue and wasm (`webim-core.js`, `webim-core_bg.wasm`, shrunk by wasm-opt),
//! and the hand-written loaders from `crates/webim-js/js/`, all in `dist/sdk/`, so any
//! static host that serves the app serves the SDK beside it; and the seed's demo rebuilt
//! on it (`examples/seed-demo/`) in `dist/sdk/demo/`.

use std::fs;
use std::path::Path;

use crate::error::Error;
use crate::run;
use crate::tools::Toolchain;

/// The loaders, declarations and npm package files copied as they are.
const AS_IS: [&str; 5] = [
    "webim.js",
    "webim.mjs",
    "webim.d.ts",
    "package.json",
    "README.md",
];

/// Builds webim.js into `dist/sdk/`.
pub fn build(tools: &Toolchain, root: &Path, dist: &Path) -> Result<(), Error> {
    let mut cargo = tools.cargo();
    cargo
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "webim-js",
        ])
        .current_dir(root);
    run::status(&mut cargo, "cargo build -p webim-js")?;
    let out = dist.join("sdk");
    let built = root.join("target/wasm32-unknown-unknown/release/webim_js.wasm");
    let mut bindgen = tools.command("wasm-bindgen");
    bindgen
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "webim-core",
        ])
        .arg("--out-dir")
        .arg(&out)
        .arg(&built);
    run::status(&mut bindgen, "wasm-bindgen (webim-js)")?;
    let wasm = out.join("webim-core_bg.wasm");
    let mut opt = tools.command("wasm-opt");
    opt.args(["-Oz", "-o"]).arg(&wasm).arg(&wasm);
    run::status(&mut opt, "wasm-opt (webim-js)")?;
    let js = root.join("crates/webim-js/js");
    for name in AS_IS {
        copy(&js.join(name), &out.join(name))?;
    }
    let demo = root.join("examples/seed-demo");
    let demo_out = out.join("demo");
    fs::create_dir_all(&demo_out)
        .map_err(|e| Error::Project(format!("{}: {e}", demo_out.display())))?;
    for entry in
        fs::read_dir(&demo).map_err(|e| Error::Project(format!("{}: {e}", demo.display())))?
    {
        let from = entry
            .map_err(|e| Error::Project(format!("{}: {e}", demo.display())))?
            .path();
        if let Some(name) = from.file_name().filter(|_| from.is_file()) {
            copy(&from, &demo_out.join(name))?;
        }
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), Error> {
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| Error::Project(format!("{} → {}: {e}", from.display(), to.display())))
}
