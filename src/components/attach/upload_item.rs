//! A picture or file on its way up, as my bubble at the end of the conversation: the
//! picture itself (from this tab) or the file's card, a progress bar, and Cancel; if it
//! failed, why, with Retry.

use stylist::yew::styled_component;
use yew::prelude::*;

use crate::components::attachment::{file_icon, human_size};
use crate::components::{t, use_lang};
use crate::i18n::{Phrase, code_sentence};
use crate::store::UploadRow;

/// Props of [`UploadItem`].
#[derive(Debug, Properties, PartialEq)]
pub struct UploadItemProps {
    /// The upload.
    pub row: UploadRow,
    /// Upload it again (after a failure).
    pub on_retry: Callback<u32>,
    /// Stop and forget it.
    pub on_cancel: Callback<u32>,
}

/// An upload's bubble.
#[styled_component]
pub fn UploadItem(props: &UploadItemProps) -> Html {
    let lang = use_lang();
    let row = &props.row;
    let class = css!(
        r#"
        display: flex; flex-direction: column; align-items: flex-end; padding: 4px 12px;
        .bubble { max-width: min(72%, 560px); padding: 7px 10px 6px; border-radius: 14px;
                  background: var(--webim-mine); color: var(--webim-mine-text); box-shadow: var(--webim-shadow); }
        img { display: block; max-width: 240px; max-height: 240px; border-radius: 10px; opacity: 0.7; }
        .name { font-weight: 600; overflow-wrap: anywhere; }
        progress { display: block; width: 100%; min-width: 160px; margin-top: 6px; accent-color: var(--webim-accent); }
        .meta { font-size: 12px; display: flex; gap: 8px; justify-content: flex-end; margin-top: 2px; }
        button { border: 0; background: transparent; color: inherit; cursor: pointer; text-decoration: underline; padding: 0; }
        .failed { color: var(--webim-danger); font-size: 12px; margin: 2px 4px; }
        .failed button { color: var(--webim-accent); }
        "#
    );
    let (id, on_retry, on_cancel) = (row.id, props.on_retry.clone(), props.on_cancel.clone());
    let retry = Callback::from(move |_| on_retry.emit(id));
    let cancel = Callback::from(move |_| on_cancel.emit(id));
    let percent = (row.sent * 100).checked_div(row.size).unwrap_or(0).min(100);
    let label = format!("{} {} {percent}%", t(lang, Phrase::Uploading), row.name);
    html! {
        <div {class} data-upload={row.id.to_string()} data-status={if row.failed.is_some() { "failed" } else { "uploading" }}>
            <div class="bubble">
                if let Some(url) = &row.preview { <img src={url.clone()} alt={row.name.clone()} /> }
                else { <span class="name">{ file_icon() }{ format!(" {} · {}", row.name, human_size(row.size)) }</span> }
                if row.failed.is_none() {
                    <progress max="100" value={percent.to_string()} aria-label={label} />
                    <span class="meta">
                        { format!("{}% · ", percent) }
                        <button type="button" class="cancel-upload" onclick={cancel.clone()}>{ t(lang, Phrase::Cancel) }</button>
                    </span>
                }
            </div>
            if let Some(code) = row.failed {
                <span class="failed" role="status">
                    { code_sentence(lang, code) }{ " · " }
                    <button type="button" class="retry" onclick={retry}>{ t(lang, Phrase::Retry) }</button>
                    { " · " }
                    <button type="button" class="cancel-upload" onclick={cancel}>{ t(lang, Phrase::Cancel) }</button>
                </span>
            }
        </div>
    }
}
