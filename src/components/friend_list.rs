//! My friends with their nicks, and finding new ones above them. A click opens the
//! conversation; each friend can be deleted (one way or both) or blacklisted, each with a
//! confirmation.

use stylist::yew::styled_component;
use wasm_bindgen_futures::spawn_local;
use webim_proto::AccountId;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{AddFriend, Avatar, ConfirmBar, Placeholder, t, use_lang};
use crate::effects::use_relationship;
use crate::i18n::{Phrase, code_sentence};
use crate::route::Route;
use crate::store::hooks::use_selector;
use crate::store::{AppState, display_name};

/// What is being confirmed for which friend.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Asking {
    Delete(AccountId),
    Block(AccountId),
}

/// The friend list.
#[styled_component]
pub fn FriendList() -> Html {
    let lang = use_lang();
    let effects = use_relationship();
    let navigator = use_navigator();
    let friends = use_selector((), |s: &AppState, _| {
        s.friends
            .iter()
            .map(|id| (id.clone(), display_name(s, id)))
            .collect::<Vec<_>>()
    });
    let asking = use_state(|| None::<Asking>);
    let both = use_state(|| true);
    let message = use_state(|| None::<String>);
    let class = css!(
        r#"
        display: flex; flex-direction: column; overflow-y: auto;
        ul { display: flex; flex-direction: column; gap: 2px; padding: 6px; }
        .row { display: flex; align-items: center; gap: 4px; border-radius: 10px; }
        .row:hover { background: var(--webim-hover); }
        .open { flex: 1; display: flex; gap: 12px; align-items: center; padding: 10px 12px; border: 0; background: transparent; cursor: pointer; text-align: left; min-width: 0; }
        .name { font-weight: 600; }
        .id { font-size: 12px; color: var(--webim-muted); }
        .act { border: 0; background: transparent; color: var(--webim-muted); cursor: pointer; padding: 6px 8px; border-radius: 8px; font-size: 13px; }
        .act:hover { background: var(--webim-active); color: var(--webim-text); }
        .bad { color: var(--webim-danger); padding: 0 10px; }
        "#
    );
    let rows = friends.iter().map(|(id, name)| {
        let open = {
            let (navigator, peer) = (navigator.clone(), id.to_string());
            Callback::from(move |_| {
                if let Some(n) = &navigator { n.push(&Route::Chat { peer: peer.clone() }); }
            })
        };
        let ask = |what: Asking| {
            let asking = asking.clone();
            Callback::from(move |_| asking.set(Some(what.clone())))
        };
        let on_cancel = {
            let asking = asking.clone();
            Callback::from(move |()| asking.set(None))
        };
        let on_confirm = {
            let (effects, asking, message, both) = (effects.clone(), asking.clone(), message.clone(), *both);
            Callback::from(move |()| {
                let Some(what) = (*asking).clone() else { return };
                asking.set(None);
                let (effects, message) = (effects.clone(), message.clone());
                spawn_local(async move {
                    let result = match &what {
                        Asking::Delete(id) => effects.delete_friend(id, both).await,
                        Asking::Block(id) => effects.block(id).await,
                    };
                    message.set(result.err().map(|code| code_sentence(lang, code)));
                });
            })
        };
        let choose = |value: bool| {
            let both = both.clone();
            Callback::from(move |_| both.set(value))
        };
        let confirm = match &*asking {
            Some(Asking::Delete(x)) if x == id => html! {
                <ConfirmBar question={t(lang, Phrase::ConfirmDeleteFriend)} {on_confirm} {on_cancel}>
                    <label><input type="radio" name="delete-type" checked={*both} onclick={choose(true)} />{ t(lang, Phrase::DeleteBoth) }</label>
                    <label><input type="radio" name="delete-type" checked={!*both} onclick={choose(false)} />{ t(lang, Phrase::DeleteSingle) }</label>
                </ConfirmBar>
            },
            Some(Asking::Block(x)) if x == id => html! {
                <ConfirmBar question={t(lang, Phrase::ConfirmBlacklist)} {on_confirm} {on_cancel} />
            },
            _ => html! {},
        };
        html! {
            <li key={id.to_string()}>
                <div class="row">
                    <button class="open" onclick={open} data-friend={id.to_string()}>
                        <Avatar id={id.to_string()} name={name.clone()} size={40} />
                        <span>
                            <span class="name" style="display:block">{ name.clone() }</span>
                            <span class="id" style="display:block">{ id.to_string() }</span>
                        </span>
                    </button>
                    <button class="act" data-action="delete" onclick={ask(Asking::Delete(id.clone()))}>{ t(lang, Phrase::DeleteFriend) }</button>
                    <button class="act" data-action="block" onclick={ask(Asking::Block(id.clone()))}>{ t(lang, Phrase::ToBlacklist) }</button>
                </div>
                { confirm }
            </li>
        }
    });
    html! {
        <div {class}>
            <AddFriend />
            if let Some(text) = &*message { <p class="bad" role="alert">{ text.clone() }</p> }
            if friends.is_empty() {
                <Placeholder text={t(lang, Phrase::NoFriends)} />
            } else {
                <ul id="friend-list" aria-label={t(lang, Phrase::Friends)}>{ for rows }</ul>
            }
        </div>
    }
}
