//! Where a message is typed. Enter sends, Shift+Enter starts a new line (and nothing is
//! sent while an input method is composing). Empty and over-12000-byte texts are refused
//! with a visible sentence; a byte counter appears near the limit. The text is kept as a
//! draft per conversation; emoticons go in at the caret as `[name]`.

use stylist::yew::styled_component;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use webim_sdk::Tool;
use yew::prelude::*;

mod caret;
mod status;

use caret::insert_at_caret;
use status::ComposerStatus;

use super::attach::AttachButton;
use super::{EmoticonPicker, t, use_lang};
use crate::effects::{ComposeError, check_text};
use crate::i18n::Phrase;

/// Props of [`Composer`].
#[derive(Debug, Properties, PartialEq)]
pub struct ComposerProps {
    /// The text to start with (the conversation's draft).
    #[prop_or_default]
    pub initial: AttrValue,
    /// A text to send (already checked: not empty, not too long). A refusal keeps the
    /// text in the box and shows why.
    pub on_send: Callback<String, Result<(), ComposeError>>,
    /// The text changed (keep it as the draft).
    #[prop_or_default]
    pub on_draft: Callback<String>,
    /// A picture or file was picked or pasted (`None`: nothing can be attached here).
    #[prop_or_default]
    pub on_attach: Option<Callback<web_sys::File>>,
}

/// The composer.
#[styled_component]
pub fn Composer(props: &ComposerProps) -> Html {
    let lang = use_lang();
    let text = use_state(|| props.initial.to_string());
    let error = use_state(|| None::<Phrase>);
    let picker = use_state(|| false);
    let area = use_node_ref();

    let set_text = {
        let (text, error, on_draft) = (text.clone(), error.clone(), props.on_draft.clone());
        Callback::from(move |value: String| {
            error.set(None);
            on_draft.emit(value.clone());
            text.set(value);
        })
    };
    let submit = {
        let (text, error, area) = (text.clone(), error.clone(), area.clone());
        let (on_send, set_text) = (props.on_send.clone(), set_text.clone());
        Callback::from(move |()| {
            // The box itself, not the last render's copy: an Enter in the same task as the
            // last keystroke (a paste, automation) must not send stale text.
            let typed = area
                .cast::<HtmlTextAreaElement>()
                .map_or_else(|| (*text).clone(), |a| a.value());
            match check_text(&typed).and_then(|()| on_send.emit(typed)) {
                Err(e) => error.set(Some(e.phrase())),
                Ok(()) => {
                    set_text.emit(String::new());
                    if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                        a.set_value("");
                        let _ = a.focus();
                    }
                }
            }
        })
    };
    let oninput = {
        let set_text = set_text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(a) = e.target_dyn_into::<HtmlTextAreaElement>() {
                set_text.emit(a.value());
            }
        })
    };
    let onkeydown = {
        let (submit, picker) = (submit.clone(), picker.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            // Shift+Enter is a new line; an input method's Enter picks a candidate.
            "Enter"
                if !(e.shift_key()
                    || e.is_composing()
                    || e.alt_key()
                    || e.ctrl_key()
                    || e.meta_key()) =>
            {
                e.prevent_default();
                submit.emit(());
            }
            "Escape" if *picker => picker.set(false),
            _ => {}
        })
    };
    let on_pick = {
        let (area, picker) = (area.clone(), picker.clone());
        Callback::from(move |name: &'static str| {
            let Some(a) = area.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let (start, end) = (
                a.selection_start().ok().flatten(),
                a.selection_end().ok().flatten(),
            );
            let (value, caret) = insert_at_caret(&a.value(), start, end, name);
            a.set_value(&value);
            let _ = a.set_selection_range(caret, caret);
            set_text.emit(a.value());
            picker.set(false);
            let _ = a.focus();
        })
    };
    let on_close = {
        let (picker, area) = (picker.clone(), area.clone());
        Callback::from(move |()| {
            picker.set(false);
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                let _ = a.focus();
            }
        })
    };
    let toggle = {
        let picker = picker.clone();
        Callback::from(move |_| picker.set(!*picker))
    };
    let send = Callback::from(move |_| submit.emit(()));
    // A pasted picture or file is attached; pasted text goes in as text.
    let onpaste = {
        let on_attach = props.on_attach.clone();
        Callback::from(move |e: Event| {
            let Some(on_attach) = &on_attach else { return };
            let pasted = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|c| c.clipboard_data());
            if let Some(file) = super::attach::first_file(pasted) {
                e.prevent_default();
                on_attach.emit(file);
            }
        })
    };
    let bytes = Tool::get_str_bytes(&text);

    let class = css!(
        r#"
        position: relative; border-top: 1px solid var(--webim-border); background: var(--webim-surface);
        padding: 8px; display: flex; flex-direction: column; gap: 6px;
        .row { display: flex; gap: 8px; align-items: flex-end; }
        textarea {
            flex: 1; resize: none; min-height: 42px; max-height: 160px; padding: 10px 12px;
            border: 1px solid var(--webim-border); border-radius: 10px; background: var(--webim-surface-2);
            line-height: 1.4;
        }
        .row > button { border: 0; border-radius: 10px; padding: 10px 14px; cursor: pointer; }
        .faces { background: var(--webim-surface-2); font-size: 18px; padding: 8px 10px; }
        .faces svg { display: block; }
        .send { background: var(--webim-accent); color: var(--webim-accent-text); font-weight: 600; }
        "#
    );
    html! {
        <div {class} id="composer">
            if *picker { <EmoticonPicker {on_pick} {on_close} /> }
            <div class="row">
                <button type="button" class="faces" id="emoticon-toggle" onclick={toggle}
                    aria-label={t(lang, Phrase::Emoticons)} title={t(lang, Phrase::Emoticons)}
                    aria-expanded={picker.to_string()} aria-haspopup="dialog">{ "☺" }</button>
                if let Some(on_pick) = props.on_attach.clone() { <AttachButton {on_pick} /> }
                <textarea ref={area} id="composer-input" rows="1" value={(*text).clone()} {oninput} {onkeydown} {onpaste}
                    placeholder={t(lang, Phrase::ComposerHint)} title={t(lang, Phrase::ComposerKeys)}
                    aria-label={t(lang, Phrase::Message)}
                    aria-invalid={error.is_some().to_string()} aria-describedby="composer-status" />
                <button type="button" class="send" id="send" onclick={send}>{ t(lang, Phrase::Send) }</button>
            </div>
            <ComposerStatus error={*error} {bytes} />
        </div>
    }
}
