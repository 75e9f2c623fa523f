//! The accessibility gate: axe-core (npm, pinned in package-lock.json) injected into the
//! page as it is, run over the whole document, and its serious and critical violations
//! described one per line (rule, what it asks, where), so a failing test says what to fix.

use std::path::PathBuf;

use thirtyfour::prelude::*;

use crate::HarnessError;

/// Where npm put axe-core: `node_modules/` at the workspace root.
fn axe_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../node_modules/axe-core/axe.min.js")
}

/// Runs axe on the current page; the serious and critical violations, one line each.
pub async fn violations(driver: &WebDriver) -> Result<Vec<String>, HarnessError> {
    let path = axe_path();
    let source = std::fs::read_to_string(&path).map_err(|e| {
        HarnessError::Timeout(format!(
            "read {} ({e}): run `cargo xtask setup` (npm ci installs axe-core)",
            path.display()
        ))
    })?;
    let already = driver
        .execute("return typeof window.axe !== 'undefined';", Vec::new())
        .await?;
    if !already.json().as_bool().unwrap_or(false) {
        driver.execute(&source, Vec::new()).await?;
    }
    let found = driver
        .execute(
            r#"
            return window.axe.run(document, { resultTypes: ['violations'] }).then(r =>
              r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} — ` + v.nodes.slice(0, 6)
                  .map(n => n.target.join(' ') + (n.any[0] && n.any[0].message
                    ? ` (${n.any[0].message})` : ''))
                  .join('; ')));
            "#,
            Vec::new(),
        )
        .await?;
    Ok(crate::app::strings(found.json()))
}

/// The themes every screen is checked in.
pub const THEMES: [&str; 2] = ["light", "dark"];
/// The window sizes every screen is checked at: a desktop's, a narrow phone's.
pub const SIZES: [(u32, u32); 2] = [(1200, 800), (360, 740)];

/// Runs axe on what is on screen in each theme and size; adds what it finds to `found`,
/// each line naming `screen`, the theme and the width. Leaves the window light and wide.
pub async fn audit(
    driver: &WebDriver,
    screen: &str,
    found: &mut Vec<String>,
) -> Result<(), HarnessError> {
    for theme in THEMES {
        driver
            .execute(
                "document.documentElement.dataset.theme = arguments[0];",
                vec![serde_json::json!(theme)],
            )
            .await?;
        for (width, height) in SIZES {
            driver.set_window_rect(0, 0, width, height).await?;
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            for line in violations(driver).await? {
                found.push(format!("{screen}, {theme}, {width} px: {line}"));
            }
        }
    }
    driver
        .execute(
            "document.documentElement.dataset.theme = arguments[0];",
            vec![serde_json::json!(THEMES[0])],
        )
        .await?;
    let (width, height) = SIZES[0];
    driver.set_window_rect(0, 0, width, height).await?;
    Ok(())
}
