//! A person found by account id, as the add-friend box shows them before anything is sent:
//! avatar, nick, id, gender and who may add them.

use stylist::yew::styled_component;
use yew::prelude::*;

use crate::components::{Avatar, t, use_lang};
use crate::effects::Lookup;
use crate::i18n::{Phrase, allow_phrase, gender_phrase};

/// Props of [`PersonCard`].
#[derive(Debug, Properties, PartialEq)]
pub struct PersonCardProps {
    /// Who was found.
    pub person: Lookup,
}

/// The found person's card.
#[styled_component]
pub fn PersonCard(props: &PersonCardProps) -> Html {
    let lang = use_lang();
    let person = &props.person;
    let class = css!(
        r#"
        display: flex; gap: 10px; align-items: center; margin-bottom: 8px;
        .facts { font-size: 13px; color: var(--webim-muted); }
        "#
    );
    let id = person.id.to_string();
    let shown = if person.nick.is_empty() {
        id.clone()
    } else {
        person.nick.clone()
    };
    html! {
        <div {class}>
            <Avatar id={id.clone()} name={person.nick.clone()} size={40} />
            <div>
                <div><strong>{ shown }</strong></div>
                <div class="facts">
                    { id }{ " · " }{ t(lang, gender_phrase(person.gender)) }
                    { " · " }{ t(lang, Phrase::AllowType) }{ ": " }{ t(lang, allow_phrase(person.allow_type)) }
                </div>
            </div>
        </div>
    }
}
