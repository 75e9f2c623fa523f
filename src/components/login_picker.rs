//! The first screen: the product name and the five test accounts to log in as (WebIM 1.0
//! had no sign-up; contract §1).

use std::rc::Rc;

use stylist::yew::styled_component;
use webim_service::FIRST_RUN_ACCOUNTS;
use yew::prelude::*;

use super::AccountCard;

/// What the picker needs to know of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerAccount {
    /// The identifier.
    pub id: AttrValue,
    /// The nick shown as the account's name.
    pub nick: AttrValue,
}

impl PickerAccount {
    /// The five test accounts with their first-run nicks, in the contract's order.
    pub fn first_run() -> Rc<[PickerAccount]> {
        FIRST_RUN_ACCOUNTS
            .iter()
            .map(|a| PickerAccount {
                id: AttrValue::Static(a.id),
                nick: AttrValue::Static(a.nick),
            })
            .collect()
    }
}

/// Props of [`LoginPicker`].
#[derive(Debug, Properties, PartialEq)]
pub struct LoginPickerProps {
    /// The accounts to offer.
    pub accounts: Rc<[PickerAccount]>,
}

/// The login picker: the product name and one card per test account.
#[styled_component]
pub fn LoginPicker(props: &LoginPickerProps) -> Html {
    let class = css!(
        r#"
        min-height: 100vh;
        display: flex;
        align-items: center;
        justify-content: center;
        padding: 32px 16px;

        .panel { width: 100%; max-width: 420px; }
        h1 { font-size: 32px; font-weight: 700; letter-spacing: -0.5px; }
        .lead { margin: 6px 0 24px; color: var(--webim-text-muted); }
        ul { display: flex; flex-direction: column; gap: 10px; }
        "#
    );
    html! {
        <main {class}>
            <div class="panel">
                <h1>{ "WebIM" }</h1>
                <p class="lead" id="picker-lead">{ "选择一个测试账号" }</p>
                <ul aria-labelledby="picker-lead">
                    { for props.accounts.iter().map(|a| html! {
                        <AccountCard key={a.id.as_str()} id={a.id.clone()} nick={a.nick.clone()} />
                    }) }
                </ul>
            </div>
        </main>
    }
}
