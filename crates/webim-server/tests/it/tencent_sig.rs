//! Tencent's own minting library (npm `tls-sig-api-v2`, installed by the project's setup)
//! makes a userSig with this server's key and SDKAppID, and the server accepts it: a
//! backend that mints sigs the way Tencent documents logs its users in here unchanged.

use std::path::PathBuf;
use std::process::Command as Process;

use serde_json::json;
use webim_proto::Command;

use crate::harness::{APP_ID, KEY, PEAKER, TestServer};

fn tencent_package() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let package = root.join("node_modules/tls-sig-api-v2/TLSSigAPIv2.js");
    assert!(
        package.is_file(),
        "{} is missing: run `cargo xtask setup` (npm ci installs Tencent's tls-sig-api-v2)",
        package.display()
    );
    package
}

/// A sig minted by Tencent's package, with its own clock and default format.
fn mint_with_tencent(identifier: &str, expire: u64) -> String {
    let script = format!(
        "const {{ Api }} = require({:?}); \
         process.stdout.write(new Api({APP_ID}, {KEY:?}).genSig({identifier:?}, {expire}));",
        tencent_package().display().to_string()
    );
    let out = Process::new("node")
        .args(["-e", &script])
        .output()
        .expect("node runs (Node.js is one of the project's requirements)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_sig_minted_by_tencents_package_is_accepted() {
    let s = TestServer::start().await;
    let sig = mint_with_tencent(PEAKER, 86_400);
    let claims = s
        .key
        .verify(&sig, PEAKER, APP_ID, crate::harness::now())
        .expect("the server reads Tencent's sig");
    assert_eq!(claims.expire, 86_400);
    let url = s.url_with(
        Command::GetMsg,
        &format!("identifier={PEAKER}&usersig={sig}"),
    );
    let (_, answer) = s.post(&url, json!({"Cookie": ""}).to_string()).await;
    assert_eq!(answer["ActionStatus"], "OK", "{answer}");
    // And the other way round: Tencent's sig for one account is no key to another.
    let url = s.url_with(
        Command::GetMsg,
        &format!("identifier=qiyueluhuo2016&usersig={sig}"),
    );
    let (_, answer) = s.post(&url, json!({"Cookie": ""}).to_string()).await;
    assert_eq!(answer["ErrorCode"], 70013);
    s.stop().await;
}
