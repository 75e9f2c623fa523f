//! One test account on the login picker: avatar, nick and id, as a button that logs in.

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
    /// Picked: log in as this account.
    pub on_pick: Callback<AttrValue>,
    /// True while this account is logging in.
    #[prop_or_default]
    pub busy: bool,
}

/// A card showing who an account is; clicking it logs in.
#[styled_component]
pub fn AccountCard(props: &AccountCardProps) -> Html {
    let class = css!(
        r#"
        width: 100%; display: flex; align-items: center; gap: 14px; padding: 14px 16px;
        background: var(--webim-surface); border: 1px solid var(--webim-border);
        border-radius: var(--webim-radius); box-shadow: var(--webim-shadow);
        cursor: pointer; text-align: left;
        &:hover { background: var(--webim-hover); }
        &[aria-busy="true"] { opacity: 0.7; cursor: progress; }
        .nick { font-size: 16px; font-weight: 600; }
        .id { font-size: 13px; color: var(--webim-muted); margin-top: 2px; }
        "#
    );
    let onclick = {
        let (id, on_pick) = (props.id.clone(), props.on_pick.clone());
        Callback::from(move |_| on_pick.emit(id.clone()))
    };
    html! {
        <li data-account={props.id.clone()}>
            <button {class} {onclick} aria-busy={props.busy.to_string()}>
                <Avatar id={props.id.clone()} name={props.nick.clone()} size={44} />
                <span>
                    <span class="nick" style="display:block">{ props.nick.clone() }</span>
                    <span class="id" style="display:block">{ props.id.clone() }</span>
                </span>
            </button>
        </li>
    }
}
