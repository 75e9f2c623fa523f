//! My profile: nick, gender (three values) and who may add me (three values). Bad nicks
//! are refused inline before anything is sent; saving shows my new name everywhere. Below
//! it, this browser's notification setting.

use std::rc::Rc;

use stylist::yew::styled_component;
use wasm_bindgen_futures::spawn_local;
use webim_proto::profile::MAX_NICK_BYTES;
use webim_proto::{AllowType, Gender};
use yew::prelude::*;

use super::{NotifySetting, t, use_lang};
use crate::effects::use_relationship;
use crate::i18n::{Phrase, allow_phrase, code_sentence, gender_phrase};
use crate::store::hooks::use_selector;
use crate::store::{AppState, MyProfile};

/// The demo's nick checks: not empty, not only spaces, at most 64 bytes.
pub fn check_nick(nick: &str) -> Result<(), Phrase> {
    if nick.is_empty() {
        Err(Phrase::NickEmpty)
    } else if nick.trim().is_empty() {
        Err(Phrase::NickSpaces)
    } else if nick.len() > MAX_NICK_BYTES {
        Err(Phrase::NickTooLong)
    } else {
        Ok(())
    }
}

/// The choices, in the order shown.
const GENDERS: [Gender; 3] = [Gender::Male, Gender::Female, Gender::Unknown];
const ALLOWS: [AllowType; 3] = [
    AllowType::NeedConfirm,
    AllowType::AllowAny,
    AllowType::DenyAny,
];

/// Applies a change to the profile being edited.
type Update = dyn Fn(&dyn Fn(&mut MyProfile));

/// The profile panel.
#[styled_component]
pub fn ProfilePanel() -> Html {
    let lang = use_lang();
    let effects = use_relationship();
    let saved = use_selector((), |s: &AppState, _| s.profile.clone());
    let draft = use_state(|| saved.clone());
    let message = use_state(|| None::<(bool, String)>);
    {
        let draft = draft.clone();
        use_effect_with(saved.clone(), move |saved| draft.set(saved.clone()));
    }
    let Some(profile) = (*draft).clone() else {
        return html! { <p class="panel-note">{ t(lang, Phrase::LoggingIn) }</p> };
    };
    let update: Rc<Update> = {
        let message = message.clone();
        Rc::new(move |change: &dyn Fn(&mut MyProfile)| {
            if let Some(mut p) = (*draft).clone() {
                change(&mut p);
                draft.set(Some(p));
                message.set(None);
            }
        })
    };
    let on_nick = {
        let update = Rc::clone(&update);
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                let value = input.value();
                update(&|p| p.nick.clone_from(&value));
            }
        })
    };
    let onsubmit = {
        let (profile, message) = (profile.clone(), message.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(phrase) = check_nick(&profile.nick) {
                message.set(Some((false, t(lang, phrase).to_owned())));
                return;
            }
            let (effects, profile, message) = (effects.clone(), profile.clone(), message.clone());
            spawn_local(async move {
                match effects.save_profile(profile).await {
                    Ok(()) => message.set(Some((true, t(lang, Phrase::Saved).to_owned()))),
                    Err(code) => message.set(Some((false, code_sentence(lang, code)))),
                }
            });
        })
    };
    let class = css!(
        r#"
        padding: 16px; display: flex; flex-direction: column; gap: 14px; overflow-y: auto;
        form { display: flex; flex-direction: column; gap: 14px; }
        label.field { display: flex; flex-direction: column; gap: 6px; font-weight: 600; }
        input[type=text] { padding: 8px 10px; border: 1px solid var(--webim-border); border-radius: 8px; background: var(--webim-surface-2); font-weight: 400; }
        fieldset { border: 1px solid var(--webim-border); border-radius: 8px; padding: 8px 12px; display: flex; flex-wrap: wrap; gap: 12px; }
        legend { font-weight: 600; padding: 0 4px; }
        fieldset label { display: flex; gap: 4px; align-items: center; }
        .save { align-self: flex-start; border: 0; border-radius: 8px; padding: 8px 18px; background: var(--webim-accent); color: var(--webim-accent-text); cursor: pointer; font-weight: 600; }
        .ok { color: var(--webim-accent); } .bad { color: var(--webim-danger); }
        "#
    );
    let choice = |change: Rc<dyn Fn(&mut MyProfile)>| {
        let update = Rc::clone(&update);
        Callback::from(move |_: MouseEvent| update(&*change))
    };
    let radio = |name: &'static str,
                 checked: bool,
                 phrase: Phrase,
                 onclick: Callback<MouseEvent>| {
        html! { <label><input type="radio" {name} {checked} {onclick} />{ t(lang, phrase) }</label> }
    };
    let genders = GENDERS.iter().map(|&g| {
        radio(
            "gender",
            profile.gender == g,
            gender_phrase(g),
            choice(Rc::new(move |p| p.gender = g)),
        )
    });
    let allows = ALLOWS.iter().map(|&a| {
        radio(
            "allow",
            profile.allow_type == a,
            allow_phrase(a),
            choice(Rc::new(move |p| p.allow_type = a)),
        )
    });
    html! {
        <div {class}>
        <form id="profile-panel" {onsubmit} novalidate=true>
            <label class="field">{ t(lang, Phrase::Nick) }
                <input type="text" id="profile-nick" value={profile.nick.clone()} oninput={on_nick} />
            </label>
            <fieldset id="profile-gender"><legend>{ t(lang, Phrase::Gender) }</legend>{ for genders }</fieldset>
            <fieldset id="profile-allow"><legend>{ t(lang, Phrase::AllowType) }</legend>{ for allows }</fieldset>
            <button class="save" id="profile-save" type="submit">{ t(lang, Phrase::Save) }</button>
            if let Some((ok, text)) = &*message {
                <p class={if *ok { "ok" } else { "bad" }} role={if *ok { "status" } else { "alert" }} id="profile-message">{ text.clone() }</p>
            }
        </form>
        <NotifySetting />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_nick_checks_match_the_demo() {
        assert_eq!(check_nick(""), Err(Phrase::NickEmpty));
        assert_eq!(check_nick("   "), Err(Phrase::NickSpaces));
        assert_eq!(check_nick(&"x".repeat(65)), Err(Phrase::NickTooLong));
        assert_eq!(check_nick(&"七".repeat(21)), Ok(()));
        assert_eq!(check_nick(&"七".repeat(22)), Err(Phrase::NickTooLong));
    }
}
