//! The wording sent with a friend request, with a byte counter against the 120-byte limit
//! of the demo so an over-long wording is seen before it is refused.

use stylist::yew::styled_component;
use webim_proto::sns::MAX_ADD_WORDING_BYTES;
use webim_sdk::Tool;
use yew::prelude::*;

use crate::components::{t, use_lang};
use crate::i18n::Phrase;

/// Props of [`WordingField`].
#[derive(Debug, Properties, PartialEq)]
pub struct WordingFieldProps {
    /// The wording as typed.
    pub value: AttrValue,
    /// The wording changed.
    pub on_input: Callback<String>,
}

/// The wording box and its counter.
#[styled_component]
pub fn WordingField(props: &WordingFieldProps) -> Html {
    let lang = use_lang();
    let on_input = props.on_input.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(a) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            on_input.emit(a.value());
        }
    });
    let bytes = Tool::get_str_bytes(&props.value);
    let class = css!(
        r#"
        display: flex; flex-direction: column; gap: 4px;
        label { display: flex; flex-direction: column; gap: 4px; font-size: 13px; color: var(--webim-muted); }
        textarea {
            resize: vertical; min-height: 56px; width: 100%; padding: 8px 10px;
            border: 1px solid var(--webim-border); border-radius: 8px; background: var(--webim-surface-2);
        }
        .count { font-size: 12px; color: var(--webim-muted); text-align: right; }
        .count.over { color: var(--webim-danger); }
        "#
    );
    html! {
        <div {class}>
            <label>{ t(lang, Phrase::Wording) }
                <textarea id="add-friend-wording" value={props.value.clone()} {oninput} />
            </label>
            <div class={classes!("count", (bytes > MAX_ADD_WORDING_BYTES).then_some("over"))}>
                { format!("{bytes} / {MAX_ADD_WORDING_BYTES}") }
            </div>
        </div>
    }
}
