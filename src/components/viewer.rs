//! The full picture, over the conversation: opened from a thumbnail, closed by Escape,
//! the close button or a click beside it; the arrow keys move to the conversation's
//! previous and next pictures. Focus goes to the dialog and back to the thumbnail that
//! opened it.

use stylist::yew::styled_component;
use wasm_bindgen::JsCast;
use webim_proto::{ImageElem, ImageType};
use yew::prelude::*;

use super::attachment::picture_label;
use super::{t, use_lang};
use crate::effects::use_shown;
use crate::i18n::Phrase;

/// Opens the viewer on the picture with this UUID (given by the chat pane to the
/// thumbnails below it).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenPicture(pub Callback<String>);

/// Props of [`PictureViewer`].
#[derive(Debug, Properties, PartialEq)]
pub struct PictureViewerProps {
    /// The conversation's pictures, oldest first.
    pub pictures: Vec<ImageElem>,
    /// The one shown.
    pub at: usize,
    /// Show another.
    pub on_move: Callback<usize>,
    /// Close.
    pub on_close: Callback<()>,
}

/// The address of a picture's largest size.
pub fn full_url(image: &ImageElem) -> Option<&str> {
    [ImageType::Origin, ImageType::Large, ImageType::Small]
        .into_iter()
        .find_map(|k| image.image_info_array.iter().find(|i| i.kind == k))
        .map(|i| i.url.as_str())
}

/// The viewer.
#[styled_component]
pub fn PictureViewer(props: &PictureViewerProps) -> Html {
    let lang = use_lang();
    let close = use_node_ref();
    // Where focus was (the thumbnail): it goes back there when the viewer closes.
    {
        let close = close.clone();
        use_effect_with((), move |()| {
            let opener = gloo::utils::document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(b) = close.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
            move || {
                if let Some(o) = opener {
                    let _ = o.focus();
                }
            }
        });
    }
    let count = props.pictures.len();
    let at = props.at.min(count.saturating_sub(1));
    let step = {
        let on_move = props.on_move.clone();
        move |by: isize| {
            let next = at.checked_add_signed(by).filter(|n| *n < count);
            if let Some(n) = next {
                on_move.emit(n);
            }
        }
    };
    let onkeydown = {
        let (on_close, step) = (props.on_close.clone(), step.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => {
                e.prevent_default();
                on_close.emit(());
            }
            "ArrowLeft" => step(-1),
            "ArrowRight" => step(1),
            _ => {}
        })
    };
    let backdrop = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: MouseEvent| {
            // A click on the dark backdrop itself, not on the picture or a button.
            if e.target() == e.current_target() {
                on_close.emit(());
            }
        })
    };
    let class = css!(
        r#"
        position: fixed; inset: 0; z-index: 50; background: rgba(0, 0, 0, 0.86);
        display: flex; align-items: center; justify-content: center; padding: 48px 56px;
        img { max-width: 100%; max-height: 100%; object-fit: contain; border-radius: 4px; }
        button { position: absolute; border: 0; border-radius: 22px; width: 44px; height: 44px;
                 background: rgba(255, 255, 255, 0.16); color: #fff; font-size: 22px; cursor: pointer; }
        button:disabled { opacity: 0.3; cursor: default; }
        .close { top: 10px; right: 10px; }
        .prev { left: 6px; top: calc(50% - 22px); }
        .next { right: 6px; top: calc(50% - 22px); }
        .count { position: absolute; bottom: 12px; color: #fff; font-size: 13px; }
        "#
    );
    let full = props
        .pictures
        .get(at)
        .and_then(full_url)
        .unwrap_or_default();
    let url = use_shown(full).address();
    let alt = props.pictures.get(at).map_or_else(
        || t(lang, Phrase::PictureAlt).to_owned(),
        |p| picture_label(lang, p),
    );
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let (prev, next) = {
        let (a, b) = (step.clone(), step);
        (
            Callback::from(move |_: MouseEvent| a(-1)),
            Callback::from(move |_: MouseEvent| b(1)),
        )
    };
    html! {
        <div {class} id="picture-viewer" role="dialog" aria-modal="true"
            aria-label={t(lang, Phrase::PictureAlt)} {onkeydown} onclick={backdrop}>
            <img src={url} {alt} />
            <button ref={close} type="button" class="close" onclick={on_close}
                aria-label={t(lang, Phrase::Close)}>{ "×" }</button>
            <button type="button" class="prev" onclick={prev} disabled={at == 0}
                aria-label={t(lang, Phrase::Previous)}>{ "‹" }</button>
            <button type="button" class="next" onclick={next} disabled={at + 1 >= count}
                aria-label={t(lang, Phrase::Next)}>{ "›" }</button>
            <span class="count" aria-live="polite">{ format!("{} / {}", at + 1, count) }</span>
        </div>
    }
}

/// The viewer over `msgs`' pictures: what opens it (for the thumbnails' context) and the
/// viewer itself while open.
#[hook]
pub fn use_viewer(msgs: &std::rc::Rc<[webim_sdk::Msg]>) -> (OpenPicture, Html) {
    let at = use_state_eq(|| None::<usize>);
    let pictures: Vec<ImageElem> = msgs
        .iter()
        .flat_map(|m| m.elems())
        .filter_map(|e| match e {
            webim_sdk::Elem::Image(image) => Some(image.clone()),
            _ => None,
        })
        .collect();
    let open = {
        let (at, uuids) = (
            at.clone(),
            pictures.iter().map(|p| p.uuid.clone()).collect::<Vec<_>>(),
        );
        OpenPicture(Callback::from(move |uuid: String| {
            at.set(uuids.iter().position(|u| *u == uuid));
        }))
    };
    let shown = match *at {
        Some(i) => {
            let on_move = {
                let at = at.clone();
                Callback::from(move |n| at.set(Some(n)))
            };
            let on_close = Callback::from(move |()| at.set(None));
            html! { <PictureViewer {pictures} at={i} {on_move} {on_close} /> }
        }
        None => html! {},
    };
    (open, shown)
}
