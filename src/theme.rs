//! The theme: tokens are CSS custom properties in `styles/theme.css` (light, dark when the
//! system asks, and the person's choice in `<html data-theme>`), and this module's single
//! `<Global>` applies them to the page. Components read them as `var(--webim-…)`.

use stylist::yew::{Global, styled_component};
use yew::prelude::*;

/// Props of [`ThemeRoot`].
#[derive(Debug, Properties, PartialEq)]
pub struct ThemeRootProps {
    /// The app under the theme.
    pub children: Html,
}

/// The page-wide styles around the app.
#[styled_component]
pub fn ThemeRoot(props: &ThemeRootProps) -> Html {
    let css = css!(
        r#"
        background: var(--webim-bg);
        color: var(--webim-text);
        body { background: var(--webim-bg); color: var(--webim-text); }
        :focus-visible { outline: 2px solid var(--webim-focus); outline-offset: 2px; }
        "#
    );
    html! {
        <>
            <Global css={css} />
            { props.children.clone() }
        </>
    }
}
