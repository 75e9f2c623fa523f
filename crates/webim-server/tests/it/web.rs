//! The app's files from the server: the page with the server's configuration in it for
//! every route the app owns (a 404 for anything else), hashed files cached for a year and served precompressed, the
//! right MIME types.

use reqwest::StatusCode;

use crate::harness::{TestServer, settings};

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &[u8]| std::fs::write(dir.path().join(name), body).unwrap();
    write(
        "index.html",
        b"<!DOCTYPE html><html><head><title>WebIM</title></head><body></body></html>",
    );
    write("webim-0123456789abcdef_bg.wasm", b"\0asm\x01\0\0\0");
    write("webim-0123456789abcdef_bg.wasm.br", b"brotli bytes");
    write("webim-0123456789abcdef.js", b"export default 1;");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_the_server_serves_the_app_with_its_configuration_and_cache_rules() {
    let files = dist();
    let mut with_dist = settings();
    with_dist.dist = Some(files.path().to_path_buf());
    let s = TestServer::start_with(with_dist).await;
    for route in ["/", "/chat/peakerdong", "/friends", "/index.html"] {
        let page = s
            .client
            .get(format!("{}{route}", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{route}");
        assert_eq!(page.headers()["cache-control"], "no-cache", "{route}");
        let html = page.text().await.unwrap();
        assert!(
            html.contains(r#"<script id="webim-config" type="application/json">{"SdkAppID":1400000001,"Demo":true}</script>"#),
            "{route}: {html}"
        );
    }
    let wasm = s
        .client
        .get(format!("{}/webim-0123456789abcdef_bg.wasm", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let br = s
        .client
        .get(format!("{}/webim-0123456789abcdef_bg.wasm", s.base))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let js = s
        .client
        .get(format!("{}/webim-0123456789abcdef.js", s.base))
        .send()
        .await
        .unwrap();
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    let elsewhere = s
        .client
        .get(format!("{}/no/such/page", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
    assert!(
        elsewhere.text().await.unwrap().contains("webim-config"),
        "a person's browser gets the app, which says it found nothing"
    );
    for file in ["/robots.txt", "/missing.png", "/wp-login.php"] {
        let answer = s.client.get(format!("{}{file}", s.base)).send().await;
        assert_eq!(answer.unwrap().status(), StatusCode::NOT_FOUND, "{file}");
    }
    let missing = s
        .client
        .post(format!("{}/no/such/file.txt", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        missing.status(),
        StatusCode::NOT_FOUND,
        "POST to a non-command"
    );
    s.stop().await;
}
