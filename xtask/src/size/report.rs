//! `cargo xtask size`: the release wasm binaries (the app's and the embedded service's
//! worker's) by function and by crate. The shipped build has no names, so the same cargo
//! output goes through wasm-bindgen with `--keep-debug` and wasm-opt `-Oz --debuginfo` (as
//! trunk runs them, names kept) into `target/size/`, and its sections are read by
//! `symbols`. Printed, and kept in `target/size/report-{binary}.txt`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::symbols::{self, Module};
use crate::error::Error;
use crate::run;
use crate::tools::Toolchain;

/// How many of the largest functions are listed.
const TOP: usize = 40;

/// Builds the release app, then the named twins of its two wasm binaries (the app, and
/// the embedded service's worker), and reports on each.
pub fn run(tools: &Toolchain, root: &Path) -> Result<(), Error> {
    crate::test::release_build(tools, root)?;
    let out = root.join("target/size");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).map_err(|e| Error::Project(format!("create target/size: {e}")))?;
    let shipped = super::of_files(&root.join("dist"), "wasm")?;
    let is_worker = |f: &&super::FileSize| {
        f.path
            .file_name()
            .is_some_and(|n| crate::fingerprint::is_embedded_worker(&n.to_string_lossy()))
    };
    for (binary, title, worker) in [
        ("webim", "the app", false),
        ("webim-worker", "the embedded service's worker", true),
    ] {
        let shipped_raw: u64 = shipped
            .iter()
            .filter(|f| is_worker(f) == worker)
            .map(|f| f.raw)
            .sum();
        let module = named(tools, root, &out, binary)?;
        let text = format!("== {title} ({binary})\n{}", report(&module, shipped_raw));
        print!("{text}");
        let kept = out.join(format!("report-{binary}.txt"));
        fs::write(&kept, &text)
            .map_err(|e| Error::Project(format!("write {}: {e}", kept.display())))?;
        println!("\n(kept in {})\n", kept.display());
    }
    Ok(())
}

/// The named twin of cargo's `binary`.wasm, read.
fn named(tools: &Toolchain, root: &Path, out: &Path, binary: &str) -> Result<Module, Error> {
    let cargo_wasm = root.join(format!(
        "target/wasm32-unknown-unknown/release/{binary}.wasm"
    ));
    let dir = out.join(binary);
    run::status(
        tools
            .command("wasm-bindgen")
            .arg(&cargo_wasm)
            .args([
                "--keep-debug",
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                binary,
                "--out-dir",
            ])
            .arg(&dir),
        "wasm-bindgen --keep-debug",
    )?;
    let named = dir.join(format!("{binary}_named.wasm"));
    run::status(
        tools
            .command("wasm-opt")
            .args(["-Oz", "--debuginfo"])
            .arg(dir.join(format!("{binary}_bg.wasm")))
            .arg("-o")
            .arg(&named),
        "wasm-opt -Oz --debuginfo",
    )?;
    let bytes =
        fs::read(&named).map_err(|e| Error::Project(format!("read {}: {e}", named.display())))?;
    symbols::read(&bytes).map_err(|e| Error::Project(format!("{}: {e}", named.display())))
}

/// The report: totals, every crate, and the largest functions.
pub fn report(module: &Module, shipped: u64) -> String {
    let code: u64 = module.functions.iter().map(|f| f.size).sum();
    let mut out = String::new();
    let kb = |n: u64| n as f64 / 1000.0;
    let _ = writeln!(
        out,
        "release wasm as shipped: {:.1} kB raw. Its named twin: code {:.1} kB in {} functions, \
         data {:.1} kB, the rest {:.1} kB (names excluded).\n",
        kb(shipped),
        kb(code),
        module.functions.len(),
        kb(module.data),
        kb(module.other)
    );
    let _ = writeln!(out, "by crate (code bytes, share of code, functions):");
    for (name, size, count) in symbols::by_crate(&module.functions) {
        let share = if code == 0 {
            0.0
        } else {
            size as f64 * 100.0 / code as f64
        };
        let _ = writeln!(
            out,
            "  {:>9.1} kB {share:>5.1}%  {count:>5}  {name}",
            kb(size)
        );
    }
    let mut largest = module.functions.clone();
    largest.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)));
    let _ = writeln!(out, "\nthe {TOP} largest functions (bytes):");
    for f in largest.iter().take(TOP) {
        let _ = writeln!(out, "  {:>8}  {}", f.size, f.name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::size::symbols::Function;

    #[test]
    fn test_the_report_names_crates_by_share_and_the_largest_functions() {
        let module = Module {
            functions: vec![
                Function {
                    name: "yew::html::render".to_owned(),
                    size: 3000,
                },
                Function {
                    name: "serde_json::de::parse".to_owned(),
                    size: 1000,
                },
            ],
            data: 500,
            other: 100,
        };
        let text = report(&module, 4200);
        assert!(text.contains("shipped: 4.2 kB raw"), "{text}");
        assert!(text.contains("75.0%      1  yew"), "{text}");
        let yew = text.find("3000  yew::html::render").expect("listed");
        let serde = text.find("1000  serde_json::de::parse").expect("listed");
        assert!(yew < serde, "largest first");
    }
}
