//! The unread badge: the count, `99+` above 99, nothing at 0.

use wasm_bindgen_test::wasm_bindgen_test;
use webim::components::UnreadBadge;
use webim::components::unread_badge::UnreadBadgeProps;

use crate::dom::{exists, mount_with, text_of};

#[wasm_bindgen_test]
async fn badge_shows_the_count_and_99_plus_above_99() {
    for (count, shown) in [
        (1, Some("1")),
        (99, Some("99")),
        (100, Some("99+")),
        (2500, Some("99+")),
        (0, None),
    ] {
        let root = mount_with::<UnreadBadge>(UnreadBadgeProps { count }).await;
        match shown {
            Some(text) => assert_eq!(text_of(&root, ".unread-badge"), text, "count {count}"),
            None => assert!(!exists(&root, ".unread-badge"), "no badge at 0"),
        }
    }
}
