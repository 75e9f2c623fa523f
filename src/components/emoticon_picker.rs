//! The 67 emoticons in a grid (webim.js `EmotionPicData`, drawn with Twemoji). Each has
//! its name as label and tooltip; picking one hands its `[name]` to the composer; Esc
//! closes it.

use stylist::yew::styled_component;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use webim_sdk::emoticon;
use yew::prelude::*;

use super::{t, use_lang};
use crate::i18n::Phrase;

/// Where an emoticon's image is served from.
pub fn face_src(index: u32) -> String {
    format!("/emoticons/{index}.svg")
}

/// Props of [`EmoticonPicker`].
#[derive(Debug, Properties, PartialEq)]
pub struct EmoticonPickerProps {
    /// Picked: the bracketed name, e.g. `[微笑]`.
    pub on_pick: Callback<&'static str>,
    /// Asked to close (Esc).
    pub on_close: Callback<()>,
}

/// The emoticon picker.
#[styled_component]
pub fn EmoticonPicker(props: &EmoticonPickerProps) -> Html {
    let lang = use_lang();
    let grid = use_node_ref();
    {
        // Focus moves into the picker when it opens, so the keyboard can use it.
        let grid = grid.clone();
        use_effect_with((), move |_| {
            let first = grid
                .cast::<HtmlElement>()
                .and_then(|g| g.query_selector("button").ok().flatten());
            if let Some(button) = first.and_then(|b| b.dyn_into::<HtmlElement>().ok()) {
                let _ = button.focus();
            }
        });
    }
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    };
    let class = css!(
        r#"
        position: absolute; bottom: calc(100% + 6px); left: 8px; z-index: 10;
        width: min(360px, calc(100vw - 32px)); max-height: 260px; overflow-y: auto;
        display: grid; grid-template-columns: repeat(auto-fill, minmax(38px, 1fr)); gap: 2px;
        padding: 8px; background: var(--webim-surface); border: 1px solid var(--webim-border);
        border-radius: var(--webim-radius); box-shadow: var(--webim-shadow);
        button { border: 0; background: transparent; padding: 5px; border-radius: 8px; cursor: pointer; }
        button:hover, button:focus-visible { background: var(--webim-hover); }
        img { width: 26px; height: 26px; display: block; margin: auto; }
        .mirror { transform: scaleX(-1); }
        "#
    );
    html! {
        <div {class} ref={grid} id="emoticon-picker" role="dialog" aria-label={t(lang, Phrase::Emoticons)} {onkeydown}>
            { for emoticon::all().map(|e| {
                let onclick = {
                    let on_pick = props.on_pick.clone();
                    Callback::from(move |_| on_pick.emit(e.name))
                };
                html! {
                    <button type="button" {onclick} aria-label={e.label()} title={e.label()} data-name={e.name}>
                        <img src={face_src(e.index)} alt="" class={(e.index == 47).then_some("mirror")}
                            loading="lazy" width="26" height="26" />
                    </button>
                }
            }) }
        </div>
    }
}
