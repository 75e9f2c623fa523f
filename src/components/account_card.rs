//! One test account on the login picker: avatar, nick and id.

use stylist::yew::styled_component;
use yew::prelude::*;

use super::Avatar;

/// Props of [`AccountCard`].
#[derive(Debug, Properties, PartialEq)]
pub struct AccountCardProps {
    /// The account identifier, shown under the nick.
    pub id: AttrValue,
    /// The account's nick.
    pub nick: AttrValue,
}

/// A card showing who an account is.
#[styled_component]
pub fn AccountCard(props: &AccountCardProps) -> Html {
    let class = css!(
        r#"
        display: flex;
        align-items: center;
        gap: 14px;
        padding: 14px 16px;
        background: var(--webim-surface);
        border: 1px solid var(--webim-border);
        border-radius: var(--webim-radius);
        box-shadow: var(--webim-shadow);

        .nick { font-size: 16px; font-weight: 600; }
        .id { font-size: 13px; color: var(--webim-text-muted); margin-top: 2px; }
        "#
    );
    html! {
        <li {class} data-account={props.id.clone()}>
            <Avatar id={props.id.clone()} name={props.nick.clone()} size={44} />
            <div>
                <div class="nick">{ props.nick.clone() }</div>
                <div class="id">{ props.id.clone() }</div>
            </div>
        </li>
    }
}
