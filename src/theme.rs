//! Theme tokens as CSS custom properties, set once on `:root` by the app's only `<Global>`.
//!
//! Tokens are CSS variables rather than Rust values so that switching light/dark changes
//! one attribute and re-renders nothing. Components read them as `var(--webim-…)`.

use stylist::yew::{Global, styled_component};
use yew::prelude::*;

/// Props of [`ThemeRoot`].
#[derive(Debug, Properties, PartialEq)]
pub struct ThemeRootProps {
    /// The app under the theme.
    pub children: Html,
}

/// Sets the theme tokens (light by default, dark when the system asks for it) around the app.
#[styled_component]
pub fn ThemeRoot(props: &ThemeRootProps) -> Html {
    let tokens = css!(
        r#"
        --webim-bg: #f3f5f8;
        --webim-surface: #ffffff;
        --webim-surface-hover: #eef3fb;
        --webim-text: #1b1f24;
        --webim-text-muted: #5b6572;
        --webim-border: #dde2e8;
        --webim-accent: #1e6fd9;
        --webim-accent-text: #ffffff;
        --webim-focus: #1e6fd9;
        --webim-radius: 12px;
        --webim-shadow: 0 1px 2px rgba(20, 30, 50, 0.06), 0 4px 16px rgba(20, 30, 50, 0.06);
        background: var(--webim-bg);
        color: var(--webim-text);

        @media (prefers-color-scheme: dark) {
            --webim-bg: #17191c;
            --webim-surface: #22262b;
            --webim-surface-hover: #2b3138;
            --webim-text: #e8eaed;
            --webim-text-muted: #a3acb6;
            --webim-border: #343a42;
            --webim-accent: #5b9cf0;
            --webim-accent-text: #0b1320;
            --webim-focus: #8ab8f5;
            --webim-shadow: 0 1px 2px rgba(0, 0, 0, 0.4), 0 4px 16px rgba(0, 0, 0, 0.3);
        }
        "#
    );
    html! {
        <>
            <Global css={tokens} />
            { props.children.clone() }
        </>
    }
}
