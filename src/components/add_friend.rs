//! Find someone by account id and add them: their nick, gender and who may add them are
//! shown first. DenyAny is explained and nothing is sent; AllowAny adds at once;
//! NeedConfirm asks for a wording (prefilled, at most 120 bytes, with a counter).

use stylist::yew::styled_component;
use wasm_bindgen_futures::spawn_local;
use webim_proto::sns::MAX_ADD_WORDING_BYTES;
use webim_proto::{AllowType, ErrorCode};
use webim_sdk::Tool;
use yew::prelude::*;

mod person_card;
mod wording_field;

use person_card::PersonCard;
use wording_field::WordingField;

use super::{t, use_lang};
use crate::effects::{Lookup, use_relationship};
use crate::i18n::{Phrase, code_sentence};
use crate::store::hooks::use_selector;
use crate::store::{AppState, me};

/// The wording check of the demo: at most 120 bytes.
pub fn check_wording(wording: &str) -> Result<(), Phrase> {
    if Tool::get_str_bytes(wording) > MAX_ADD_WORDING_BYTES {
        Err(Phrase::WordingTooLong)
    } else {
        Ok(())
    }
}

/// The add-friend box.
#[styled_component]
pub fn AddFriend() -> Html {
    let lang = use_lang();
    let effects = use_relationship();
    let (me, friends) = use_selector((), |s: &AppState, _| (me(s), s.friends.clone()));
    let query = use_state(String::new);
    let found = use_state(|| None::<Lookup>);
    let wording = use_state(|| t(lang, Phrase::DefaultWording).to_owned());
    let message = use_state(|| None::<(bool, String)>);

    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                query.set(i.value());
            }
        })
    };
    let on_search = {
        let (query, found, message, effects) = (
            query.clone(),
            found.clone(),
            message.clone(),
            effects.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            found.set(None);
            if query.trim().is_empty() {
                message.set(Some((false, t(lang, Phrase::EnterAccount).to_owned())));
                return;
            }
            message.set(None);
            let (effects, found, message, id) = (
                effects.clone(),
                found.clone(),
                message.clone(),
                (*query).clone(),
            );
            spawn_local(async move {
                match effects.lookup(&id).await {
                    Ok(person) => found.set(Some(person)),
                    Err(code) => message.set(Some((false, code_sentence(lang, code)))),
                }
            });
        })
    };
    let on_wording = {
        let wording = wording.clone();
        Callback::from(move |text: String| wording.set(text))
    };
    let on_add = {
        let (found, wording, message) = (found.clone(), wording.clone(), message.clone());
        Callback::from(move |_| {
            let Some(person) = (*found).clone() else {
                return;
            };
            if let Err(phrase) = check_wording(&wording) {
                message.set(Some((false, t(lang, phrase).to_owned())));
                return;
            }
            let (effects, message, wording) =
                (effects.clone(), message.clone(), (*wording).clone());
            spawn_local(async move {
                let result = effects.add_friend(&person.id, &wording).await;
                let sentence = match result {
                    Ok(ErrorCode::Ok) => (true, t(lang, Phrase::NowFriends).to_owned()),
                    Ok(code) => (
                        code == ErrorCode::PendencyCreated,
                        code_sentence(lang, code),
                    ),
                    Err(code) => (false, code_sentence(lang, code)),
                };
                message.set(Some(sentence));
            });
        })
    };

    let class = css!(
        r#"
        padding: 10px; border-bottom: 1px solid var(--webim-border); display: flex; flex-direction: column; gap: 8px;
        form { display: flex; gap: 6px; }
        input { flex: 1; padding: 8px 10px; border: 1px solid var(--webim-border); border-radius: 8px; background: var(--webim-surface-2); }
        button { border: 0; border-radius: 8px; padding: 8px 12px; cursor: pointer; background: var(--webim-accent); color: var(--webim-accent-text); }
        button:disabled { opacity: 0.5; cursor: not-allowed; }
        .ok { color: var(--webim-accent); font-size: 14px; } .bad { color: var(--webim-danger); font-size: 14px; }
        "#
    );
    let result = (*found).as_ref().map(|person| {
        let is_me = me.as_ref() == Some(&person.id);
        let is_friend = friends.contains(&person.id);
        let (note, can_add) = match person.allow_type {
            _ if is_me => (Some(t(lang, Phrase::ThisIsYou).to_owned()), false),
            _ if is_friend => (Some(t(lang, Phrase::IsFriend).to_owned()), false),
            AllowType::DenyAny => (Some(code_sentence(lang, ErrorCode::TargetDeniesAll)), false),
            _ => (None, true),
        };
        html! {
            <div id="add-friend-result">
                <PersonCard person={person.clone()} />
                if let Some(note) = note { <p class="bad" id="add-friend-note">{ note }</p> }
                if can_add && person.allow_type == AllowType::NeedConfirm {
                    <WordingField value={(*wording).clone()} on_input={on_wording.clone()} />
                }
                <button id="add-friend-send" disabled={!can_add} onclick={on_add.clone()}>
                    { t(lang, if person.allow_type == AllowType::NeedConfirm { Phrase::SendRequest } else { Phrase::AddFriend }) }
                </button>
            </div>
        }
    });
    html! {
        <div {class} id="add-friend">
            <form onsubmit={on_search} novalidate=true>
                <input id="add-friend-id" value={(*query).clone()} oninput={on_query}
                    placeholder={t(lang, Phrase::FindAccount)} aria-label={t(lang, Phrase::FindAccount)} />
                <button type="submit" id="add-friend-search">{ t(lang, Phrase::Search) }</button>
            </form>
            { for result }
            if let Some((ok, text)) = &*message {
                <p class={if *ok { "ok" } else { "bad" }} role={if *ok { "status" } else { "alert" }} id="add-friend-message">{ text.clone() }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_wording_is_at_most_120_bytes() {
        assert_eq!(check_wording(&"好".repeat(40)), Ok(()));
        assert_eq!(check_wording(&"好".repeat(41)), Err(Phrase::WordingTooLong));
    }
}
