//! The browser tab's title and icon with the total unread count: `(3) WebIM` and the icon
//! with a red 3 on it, or `WebIM` and the plain icon.

use yew::prelude::*;

use crate::store::hooks::use_selector;
use crate::store::{AppState, title, total_unread};

/// The app's icon (the same file trunk publishes as the favicon).
const ICON: &str = include_str!("../../assets/favicon.svg");

/// The icon with `unread` on a red badge, as a `data:` URL; `None` when nothing is unread
/// (the published icon stands). More than 99 shows as 99.
pub fn badge_icon(unread: u32) -> Option<String> {
    if unread == 0 {
        return None;
    }
    let count = unread.min(99);
    let size = if count > 9 { 22 } else { 28 };
    let badge = format!(
        "<circle cx='46' cy='18' r='18' fill='#d1343a'/><text x='46' y='{y}' font-size='{size}' \
         font-family='sans-serif' font-weight='700' text-anchor='middle' fill='#fff'>{count}</text>",
        y = 18 + size * 7 / 20
    );
    let svg = ICON.trim().replacen("</svg>", &format!("{badge}</svg>"), 1);
    Some(format!("data:image/svg+xml,{}", percent_encode(&svg)))
}

/// Escapes what a `data:` URL cannot hold as is.
fn percent_encode(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '#' => "%23".to_owned(),
            '%' => "%25".to_owned(),
            '"' => "%22".to_owned(),
            '<' => "%3C".to_owned(),
            '>' => "%3E".to_owned(),
            ' ' => "%20".to_owned(),
            '\n' => String::new(),
            c => c.to_string(),
        })
        .collect()
}

/// Keeps `document.title` and the tab's icon in step with the unread total; renders
/// nothing.
#[component]
pub fn TabTitle() -> Html {
    let unread = use_selector((), |s: &AppState, _| total_unread(s));
    // The published icon's address, to put back when everything is read.
    let published = use_memo((), |_| icon_link().map(|l| l.href()));
    {
        let published = published.clone();
        use_effect_with(unread, move |unread| {
            gloo::utils::document().set_title(&title(*unread));
            if let (Some(link), Some(plain)) = (icon_link(), published.as_ref()) {
                link.set_href(&badge_icon(*unread).unwrap_or_else(|| plain.clone()));
            }
        });
    }
    use_effect_with((), move |_| {
        move || {
            gloo::utils::document().set_title(&title(0));
            if let (Some(link), Some(plain)) = (icon_link(), published.as_ref()) {
                link.set_href(plain);
            }
        }
    });
    html! {}
}

fn icon_link() -> Option<web_sys::HtmlLinkElement> {
    use wasm_bindgen::JsCast;
    gloo::utils::document()
        .query_selector("link[rel~='icon']")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_the_icon_carries_the_count_only_when_something_is_unread() {
        assert_eq!(badge_icon(0), None);
        let three = badge_icon(3).unwrap();
        assert!(three.starts_with("data:image/svg+xml,%3Csvg"));
        assert!(three.contains("%3E3%3C/text%3E"), "{three}");
        assert!(!three.contains('#') && !three.contains('<'));
        assert!(badge_icon(250).unwrap().contains("%3E99%3C/text%3E"));
    }
}
