//! The report's Lighthouse rows (`cargo xtask audit`): the mobile scores and metrics of
//! the release build served by `webim-server`, against their targets.

use serde_json::Value;

use super::{f, row};

/// The rows, if an audit has run.
pub fn rows(out: &mut String, v: &Value) {
    if v["lighthouse_performance"].is_null() {
        return;
    }
    let score = |key: &str, name: &str, target: f64| {
        let got = f(&v[key]);
        (name.to_owned(), got, target)
    };
    let runs: Vec<String> = v["lighthouse_runs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| format!("{:.2} ({:.0} ms)", f(&r["performance"]), f(&r["lcp_ms"])))
        .collect();
    let failing = |category: &str| -> Vec<&str> {
        v["lighthouse_failing_audits"][category]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    };
    for (name, got, target) in [
        score(
            "lighthouse_performance",
            "Lighthouse performance, mobile (the login picker)",
            0.95,
        ),
        score(
            "lighthouse_accessibility",
            "Lighthouse accessibility, mobile",
            1.0,
        ),
        score(
            "lighthouse_best_practices",
            "Lighthouse best practices, mobile",
            1.0,
        ),
    ] {
        let category = match name.as_str() {
            n if n.contains("performance") => "performance",
            n if n.contains("accessibility") => "accessibility",
            _ => "best-practices",
        };
        let failed = failing(category);
        let note = match (category, failed.is_empty()) {
            ("performance", _) => format!(
                "each run, score (LCP): {}; audits below full marks: {}",
                runs.join("; "),
                if failed.is_empty() {
                    "none".to_owned()
                } else {
                    failed.join(", ")
                }
            ),
            (_, true) => "every audit that counts passed".to_owned(),
            (_, false) => format!("failed: {}", failed.join(", ")),
        };
        row(
            out,
            &name,
            format!("{got:.2}"),
            &format!("≥ {target:.2}"),
            Some(got >= target),
            note,
        );
    }
    let lcp = f(&v["lcp_ms_mobile"]);
    row(
        out,
        "largest contentful paint, mobile (Lighthouse's simulated slow 4G and 4× slower CPU)",
        format!("{lcp:.0} ms"),
        "≤ 2,500 ms",
        Some(lcp <= 2500.0),
        format!(
            "{:.2}× the target; the element: {}. First paint {:.0} ms, total blocking {:.0} \
             ms, interactive {:.0} ms (the wasm app loaded and running), layout shift {:.3}",
            lcp / 2500.0,
            v["lcp_element_mobile"].as_str().map_or_else(
                || "one no longer in the page (the loading shell's, replaced by the app)"
                    .to_owned(),
                |e| format!("`{e}`")
            ),
            f(&v["fcp_ms_mobile"]),
            f(&v["tbt_ms_mobile"]),
            f(&v["tti_ms_mobile"]),
            f(&v["cls_mobile"])
        ),
    );
}
