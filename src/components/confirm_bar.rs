//! An inline confirmation under the row it concerns (instead of the demo's `confirm()`
//! pop-up): a question, optional choices, Confirm and Cancel; Esc cancels.

use stylist::yew::styled_component;
use yew::prelude::*;

use super::{t, use_lang};
use crate::i18n::Phrase;

/// Props of [`ConfirmBar`].
#[derive(Debug, Properties, PartialEq)]
pub struct ConfirmBarProps {
    /// The question.
    pub question: AttrValue,
    /// Confirmed.
    pub on_confirm: Callback<()>,
    /// Cancelled.
    pub on_cancel: Callback<()>,
    /// Choices shown between the question and the buttons.
    #[prop_or_default]
    pub children: Html,
}

/// The confirmation bar.
#[styled_component]
pub fn ConfirmBar(props: &ConfirmBarProps) -> Html {
    let lang = use_lang();
    let confirm_ref = use_node_ref();
    {
        let confirm_ref = confirm_ref.clone();
        use_effect_with((), move |_| {
            if let Some(button) = confirm_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_cancel.emit(());
            }
        })
    };
    let class = css!(
        r#"
        margin: 4px 8px 8px; padding: 10px 12px; border-radius: 10px;
        background: var(--webim-surface-2); border: 1px solid var(--webim-border);
        display: flex; flex-direction: column; gap: 8px; font-size: 14px;
        .buttons { display: flex; gap: 8px; justify-content: flex-end; }
        button { border: 0; border-radius: 8px; padding: 6px 12px; cursor: pointer; }
        .confirm { background: var(--webim-danger); color: var(--webim-danger-text); }
        .cancel { background: var(--webim-hover); }
        label { display: flex; gap: 6px; align-items: center; }
        "#
    );
    let confirm = props.on_confirm.reform(|_| ());
    let cancel = props.on_cancel.reform(|_| ());
    html! {
        <div {class} role="alertdialog" aria-label={props.question.clone()} {onkeydown}>
            <p>{ props.question.clone() }</p>
            { props.children.clone() }
            <div class="buttons">
                <button class="cancel" onclick={cancel}>{ t(lang, Phrase::Cancel) }</button>
                <button class="confirm" ref={confirm_ref} onclick={confirm}>{ t(lang, Phrase::Confirm) }</button>
            </div>
        </div>
    }
}
