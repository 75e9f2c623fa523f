//! Installs what the project needs and is missing, at pinned versions, and gives commands
//! a PATH on which trunk finds exactly those tools (so it never downloads anything).
//!
//! A second run only asks each tool for its version, which takes well under a second.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::run;

/// trunk 0.22 declares rust-version 1.96.1, newer than these machines' rustc; 0.21.14 works.
const TRUNK_VERSION: &str = "0.21.14";
/// What `wasm-opt --version` prints for npm's binaryen 132 (package.json pins it).
const WASM_OPT_VERSION: &str = "version 132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// A CJK font, so the browser tests and screenshots show 七月流火 rather than empty boxes
/// (a person's own system has one; a bare Debian does not).
const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
/// Debian's NATS server, for the tests of several server processes.
const NATS_SERVER: &str = "/usr/sbin/nats-server";
/// Where Debian puts each PostgreSQL version's programs (`15/bin/initdb`).
const POSTGRES_LIB: &str = "/usr/lib/postgresql";
/// Stops Debian's postgresql package from creating and starting a system cluster on
/// install: the tests start their own, private ones.
const CREATECLUSTER_CONF: &str = "/etc/postgresql-common/createcluster.conf";

/// Which tools a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Building the app: the wasm target, trunk, wasm-bindgen, wasm-opt.
    Build,
    /// Everything the test command uses: the above, rustfmt, clippy, Chromium, chromedriver,
    /// PostgreSQL and NATS.
    Everything,
}

/// The installed tools and the environment that finds them.
#[derive(Debug, Clone)]
pub struct Toolchain {
    path: OsString,
    cargo: PathBuf,
    /// The wasm-bindgen version pinned in Cargo.lock.
    pub wasm_bindgen_version: String,
}

impl Toolchain {
    /// Installs whatever `needs` asks for and is missing, then describes the result.
    pub fn ensure(root: &Path, needs: Needs) -> Result<Self, Error> {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .ok_or_else(|| Error::Missing("neither CARGO_HOME nor HOME is set".to_owned()))?;
        let cargo_bin = cargo_home.join("bin");
        let node_bin = root.join("node_modules").join(".bin");
        // Project tools first: npm's wasm-opt must win over any Debian binaryen on PATH.
        let mut dirs = vec![node_bin.clone(), cargo_bin.clone()];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs)
            .map_err(|e| Error::Project(format!("cannot build PATH: {e}")))?;
        let cargo = std::env::var_os("CARGO")
            .map(PathBuf::from)
            .unwrap_or_else(|| "cargo".into());
        let wasm_bindgen_version = pinned_wasm_bindgen(root)?;
        let tools = Self {
            path,
            cargo,
            wasm_bindgen_version,
        };

        if needs == Needs::Everything {
            tools.ensure_components()?;
        }
        tools.ensure_wasm_target()?;
        tools.ensure_cargo_bin(&cargo_bin, "trunk", TRUNK_VERSION, &["trunk"])?;
        let wb = tools.wasm_bindgen_version.clone();
        tools.ensure_cargo_bin(
            &cargo_bin,
            "wasm-bindgen-cli",
            &wb,
            &["wasm-bindgen", "wasm-bindgen-test-runner"],
        )?;
        tools.ensure_npm_packages(root, &node_bin)?;
        if needs == Needs::Everything {
            ensure_debian_packages()?;
        }
        Ok(tools)
    }

    /// A command for `program` with the project's PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }

    /// A cargo command (the same cargo that runs xtask) with the project's PATH.
    pub fn cargo(&self) -> Command {
        let mut cmd = Command::new(&self.cargo);
        cmd.env("PATH", &self.path);
        cmd
    }

    fn ensure_components(&self) -> Result<(), Error> {
        let have = |sub: &str| run::output(self.cargo().args([sub, "--version"])).is_some();
        if have("fmt") && have("clippy") {
            return Ok(());
        }
        announce("rustfmt and clippy (rustup component add)");
        run::status(
            self.command("rustup")
                .args(["component", "add", "rustfmt", "clippy"]),
            "rustup component add rustfmt clippy",
        )
    }

    fn ensure_wasm_target(&self) -> Result<(), Error> {
        let installed = run::output(
            self.command("rustup")
                .args(["target", "list", "--installed"]),
        )
        .unwrap_or_default();
        if installed.lines().any(|l| l.trim() == WASM_TARGET) {
            return Ok(());
        }
        announce(&format!("the {WASM_TARGET} target (rustup target add)"));
        run::status(
            self.command("rustup").args(["target", "add", WASM_TARGET]),
            "rustup target add wasm32-unknown-unknown",
        )
    }

    /// Installs crate `krate` at `version` with `cargo install` unless every binary in `bins`
    /// already reports that version.
    fn ensure_cargo_bin(
        &self,
        cargo_bin: &Path,
        krate: &str,
        version: &str,
        bins: &[&str],
    ) -> Result<(), Error> {
        let current = |bin: &str| {
            run::output(Command::new(cargo_bin.join(bin)).arg("--version"))
                .is_some_and(|v| v.split_whitespace().any(|word| word == version))
        };
        if bins.iter().all(|bin| current(bin)) {
            return Ok(());
        }
        announce(&format!(
            "{krate} {version} (cargo install; several minutes on 2 cores)"
        ));
        let spec = format!("{krate}@{version}");
        let locked = self
            .cargo()
            .args(["install", "--force", "--locked", &spec])
            .status();
        if locked.is_ok_and(|s| s.success()) {
            return Ok(());
        }
        // Some crates' lock files name a dependency version this registry does not carry
        // (wasm-bindgen-cli 0.2.130 locks webpki-roots 1.0.11); resolve afresh instead.
        println!("xtask: retrying without --locked");
        run::status(
            self.cargo().args(["install", "--force", &spec]),
            &format!("cargo install {spec}"),
        )
    }

    /// npm's packages (package-lock.json): binaryen's wasm-opt, Tencent's tls-sig-api-v2
    /// for the server's userSig test, axe-core for the end-to-end accessibility gate,
    /// Lighthouse for `cargo xtask audit`, and TypeScript for webim.js's declarations.
    fn ensure_npm_packages(&self, root: &Path, node_bin: &Path) -> Result<(), Error> {
        let wasm_opt = node_bin.join("wasm-opt");
        let tencent = root.join("node_modules/tls-sig-api-v2/package.json");
        let axe = root.join("node_modules/axe-core/axe.min.js");
        let lighthouse = root.join("node_modules/lighthouse/cli/index.js");
        let typescript = root.join("node_modules/typescript/package.json");
        if run::output(Command::new(&wasm_opt).arg("--version"))
            .is_some_and(|v| v.contains(WASM_OPT_VERSION))
            && tencent.is_file()
            && axe.is_file()
            && lighthouse.is_file()
            && typescript.is_file()
        {
            return Ok(());
        }
        if run::output(self.command("npm").arg("--version")).is_none() {
            return Err(Error::Missing(
                "npm is needed for wasm-opt (binaryen 132): install Node.js and npm, \
                 e.g. apt-get install -y nodejs npm"
                    .to_owned(),
            ));
        }
        announce(
            "npm's packages: binaryen 132's wasm-opt, tls-sig-api-v2, axe-core, lighthouse, \
             typescript (npm ci)",
        );
        run::status(
            self.command("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(root),
            "npm ci",
        )
    }
}

/// True if some PostgreSQL version's `initdb` is installed where Debian puts it.
fn has_postgres() -> bool {
    fs::read_dir(POSTGRES_LIB)
        .into_iter()
        .flatten()
        .flatten()
        .any(|version| version.path().join("bin/initdb").is_file())
}

/// Debian's packages the tests need and this machine lacks: Chromium, its driver and a
/// CJK font for the browser tests; PostgreSQL and NATS for the tests of several servers.
fn missing_debian_packages() -> Vec<&'static str> {
    let mut missing: Vec<&str> = [
        (CHROMIUM, "chromium"),
        (CHROMEDRIVER, "chromium-driver"),
        (CJK_FONT, "fonts-wqy-microhei"),
        (NATS_SERVER, "nats-server"),
    ]
    .into_iter()
    .filter(|(file, _)| !Path::new(file).exists())
    .map(|(_, package)| package)
    .collect();
    if !has_postgres() {
        missing.push("postgresql");
    }
    missing
}

fn ensure_debian_packages() -> Result<(), Error> {
    let missing = missing_debian_packages();
    if missing.is_empty() {
        return Ok(());
    }
    let manual = format!(
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
         --no-install-recommends {}",
        missing.join(" ")
    );
    let is_root = run::output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if !is_root {
        return Err(Error::Missing(format!(
            "the tests need Debian's {}, and only root may install them. Run:\n\n    \
             sudo sh -c '{manual}'\n\nthen run this command again.",
            missing.join(", ")
        )));
    }
    if missing.contains(&"postgresql") && !Path::new(CREATECLUSTER_CONF).exists() {
        let dir = Path::new(CREATECLUSTER_CONF)
            .parent()
            .unwrap_or(Path::new("/"));
        fs::create_dir_all(dir)
            .and_then(|()| fs::write(CREATECLUSTER_CONF, "create_main_cluster = false\n"))
            .map_err(|e| Error::Project(format!("cannot write {CREATECLUSTER_CONF}: {e}")))?;
    }
    announce(&format!("Debian's {} (apt-get)", missing.join(", ")));
    run::status(Command::new("apt-get").arg("update"), "apt-get update")?;
    let mut install = Command::new("apt-get");
    install
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing);
    run::status(&mut install, "apt-get install")
}

/// The wasm-bindgen version in Cargo.lock, checked against Trunk.toml's pin.
fn pinned_wasm_bindgen(root: &Path) -> Result<String, Error> {
    let read = |name: &str| {
        fs::read_to_string(root.join(name))
            .map_err(|e| Error::Project(format!("cannot read {name}: {e}")))
    };
    let lock = read("Cargo.lock")?;
    let locked = locked_version(&lock, "wasm-bindgen")
        .ok_or_else(|| Error::Project("Cargo.lock has no wasm-bindgen package".to_owned()))?;
    let trunk = read("Trunk.toml")?;
    let pinned = trunk
        .lines()
        .find_map(|l| l.trim().strip_prefix("wasm_bindgen"))
        .and_then(|rest| rest.split('"').nth(1))
        .ok_or_else(|| Error::Project("Trunk.toml does not pin [tools] wasm_bindgen".to_owned()))?;
    if pinned != locked {
        return Err(Error::Project(format!(
            "Trunk.toml pins wasm_bindgen {pinned} but Cargo.lock has wasm-bindgen {locked}: \
             they must be equal (and equal to the `=` pin in Cargo.toml)"
        )));
    }
    Ok(locked)
}

/// The version of package `name` in a Cargo.lock text.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return version.strip_suffix('"').map(str::to_owned);
        }
    }
    None
}

fn announce(what: &str) {
    println!("\n==> installing {what}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_reads_a_package_version_from_cargo_lock() {
        let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.80\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "yew"), None);
    }
}
