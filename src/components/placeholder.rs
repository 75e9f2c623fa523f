//! A quiet message where a pane has nothing to show yet.

use stylist::yew::styled_component;
use yew::prelude::*;

/// Props of [`Placeholder`].
#[derive(Debug, Properties, PartialEq)]
pub struct PlaceholderProps {
    /// What to say.
    pub text: AttrValue,
}

/// A centred, muted line of text.
#[styled_component]
pub fn Placeholder(props: &PlaceholderProps) -> Html {
    let class = css!(
        r#"
        flex: 1; display: flex; align-items: center; justify-content: center;
        padding: 32px; color: var(--webim-muted); text-align: center;
        "#
    );
    html! { <div class={classes!(class, "placeholder")}>{ props.text.clone() }</div> }
}
