//! The operator's command line, run as the real binary on a data directory: accounts
//! imported, added with a password from standard input, listed and disabled, and a
//! userSig printed that the server's key verifies.

use std::io::Write;
use std::process::{Command, Stdio};

use webim_server::usersig::SigKey;

use crate::harness::{APP_ID, KEY, now};

fn run(data: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webim-server"))
        .args(["--data", &data.display().to_string()])
        .args(["--sdkappid", &APP_ID.to_string(), "--secret-key", KEY])
        .args(args)
        .env("WEBIM_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn test_accounts_are_imported_added_listed_and_disabled_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(dir.path(), &["account", "import"], "load1\nload2\n\n");
    assert!(ok, "{err}");
    assert!(out.contains("2 accounts created"), "{out}");
    let (ok, out, _) = run(dir.path(), &["account", "import", "load1"], "");
    assert!(
        ok && out.contains("0 accounts created, 1 already there"),
        "{out}"
    );

    let (ok, _, err) = run(
        dir.path(),
        &[
            "account",
            "add",
            "alice",
            "--nick",
            "Alice",
            "--allow-type",
            "allow-any",
        ],
        "a long password\n",
    );
    assert!(ok, "{err}");
    let (ok, _, err) = run(
        dir.path(),
        &["account", "add", "bob", "--nick", "Bob"],
        "short\n",
    );
    assert!(
        !ok && err.contains("8"),
        "a short password is refused: {err}"
    );
    let (ok, _, err) = run(
        dir.path(),
        &["account", "add", "bad id!", "--nick", "x"],
        "a long password\n",
    );
    assert!(!ok && err.contains("bad id!"), "{err}");

    let (ok, _, err) = run(dir.path(), &["account", "disable", "alice"], "");
    assert!(ok, "{err}");
    let (_, list, _) = run(dir.path(), &["account", "list"], "");
    let line = |id: &str| {
        list.lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(line("alice ").contains("disabled"), "{list}");
    assert!(line("load1 ").contains("sig only"), "{list}");
    assert!(
        line("peakerdong ").contains("sig only"),
        "the test accounts are there: {list}"
    );
    let (ok, _, err) = run(dir.path(), &["account", "disable", "nobody"], "");
    assert!(!ok && err.contains("nobody"), "{err}");
}

#[test]
fn test_usersig_prints_a_sig_the_servers_key_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(dir.path(), &["usersig", "peakerdong", "--expire", "2h"], "");
    assert!(ok, "{err}");
    let claims = SigKey::new(APP_ID, KEY)
        .verify(out.trim(), "peakerdong", APP_ID, now())
        .unwrap();
    assert_eq!(claims.expire, 7200);
    let (ok, _, err) = run(dir.path(), &["usersig", "peakerdong", "--expire", "7w"], "");
    assert!(!ok && err.contains("unit"), "{err}");
}
