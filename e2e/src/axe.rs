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
