//! A message's picture or file: the picture as a thumbnail that holds its space while it
//! loads (so the conversation does not jump), opening the full picture; a file as a card
//! with its name, size and a download. A picture whose bytes are gone says so.

use stylist::yew::styled_component;
use webim_proto::{FileElem, ImageElem, ImageInfo, ImageType};
use yew::prelude::*;

use super::viewer::OpenPicture;
use super::{t, use_lang};
use crate::effects::{Shown, use_shown};
use crate::i18n::{Lang, Phrase};

/// The longest side a thumbnail is shown at, in CSS pixels.
const THUMB_SIDE: u32 = 240;

/// The size `width` × `height` is shown at: within [`THUMB_SIDE`], its shape kept.
pub fn fit(width: u32, height: u32) -> (u32, u32) {
    let longest = width.max(height).max(1);
    if longest <= THUMB_SIDE {
        return (width.max(1), height.max(1));
    }
    let scale = |n: u32| (u64::from(n) * u64::from(THUMB_SIDE) / u64::from(longest)).max(1);
    (scale(width) as u32, scale(height) as u32)
}

/// A byte count as people read it (`980 B`, `12.5 KB`, `3.1 MB`).
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

/// A document outline (drawn here: an emoji needs a font the machine may not have).
pub fn file_icon() -> Html {
    html! {
        <svg class="icon" width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" fill="none"
            stroke="currentColor" stroke-width="2" stroke-linejoin="round">
            <path d="M6 2h8l6 6v14H6z" /><path d="M14 2v6h6" />
        </svg>
    }
}

/// A paper clip.
pub fn clip_icon() -> Html {
    html! {
        <svg class="icon" width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" fill="none"
            stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d="M20 11.5l-8.2 8.2a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9" />
        </svg>
    }
}

/// Props of [`PictureThumb`].
#[derive(Debug, Properties, PartialEq)]
pub struct PictureProps {
    /// The picture's element.
    pub image: ImageElem,
}

fn size_of(image: &ImageElem, kind: ImageType) -> Option<&ImageInfo> {
    image.image_info_array.iter().find(|i| i.kind == kind)
}

/// A picture in a bubble.
#[styled_component]
pub fn PictureThumb(props: &PictureProps) -> Html {
    let lang = use_lang();
    let image = &props.image;
    let thumb = [ImageType::Large, ImageType::Small, ImageType::Origin]
        .into_iter()
        .find_map(|k| size_of(image, k));
    let full = size_of(image, ImageType::Origin).or(thumb);
    let thumb_at = use_shown(thumb.map_or("", |i| i.url.as_str()));
    let full_at = use_shown(full.map_or("", |i| i.url.as_str()));
    // Inside a conversation the picture opens in the viewer; the link stays for a new tab.
    let open = use_context::<OpenPicture>();
    let broken = use_state(|| false);
    let class = css!(
        r#"
        display: block; margin: 2px 0 4px; line-height: 0;
        img, .pending { display: block; max-width: 100%; height: auto; border-radius: 10px;
              background: var(--webim-theirs); object-fit: cover; }
        &.missing { line-height: 1.4; font-style: italic; color: var(--webim-muted); }
        "#
    );
    let (Some(thumb), false, false) = (thumb, *broken, thumb_at == Shown::Gone) else {
        return html! { <span class={classes!(class, "missing")} role="img"
        aria-label={t(lang, Phrase::PictureGone)}>{ t(lang, Phrase::PictureGone) }</span> };
    };
    let (width, height) = fit(thumb.width, thumb.height);
    let onerror = Callback::from(move |_| broken.set(true));
    let onclick = {
        let uuid = image.uuid.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(OpenPicture(open)) = &open
                && !(e.ctrl_key() || e.meta_key() || e.shift_key())
            {
                e.prevent_default();
                open.emit(uuid.clone());
            }
        })
    };
    let href = full_at.address();
    let label = picture_label(lang, image);
    let picture = match thumb_at {
        Shown::At(src) => html! {
            <img {src} width={width.to_string()} height={height.to_string()}
                alt={label.clone()} loading="lazy" decoding="async" {onerror} />
        },
        // Its space, held while the bytes are read.
        Shown::Pending | Shown::Gone => html! {
            <span class="pending" style={format!("width: {width}px; height: {height}px")} />
        },
    };
    html! {
        <a class={classes!(class, "picture")} {href} target="_blank" rel="noopener noreferrer"
            aria-label={label} {onclick}>
            { picture }
        </a>
    }
}

/// Props of [`FileCard`].
#[derive(Debug, Properties, PartialEq)]
pub struct FileProps {
    /// The file's element.
    pub file: FileElem,
}

/// A file in a bubble: its name and size, and a download.
#[styled_component]
pub fn FileCard(props: &FileProps) -> Html {
    let lang = use_lang();
    let class = css!(
        r#"
        display: inline-flex; align-items: center; gap: 8px; margin: 2px 0 4px;
        padding: 6px 10px; border-radius: 10px; border: 1px solid currentColor;
        color: inherit; text-decoration: none; max-width: 100%;
        .name { font-weight: 600; overflow-wrap: anywhere; }
        .size { opacity: 0.8; font-size: 12px; white-space: nowrap; }
        "#
    );
    let file = &props.file;
    let href = use_shown(&file.url).address();
    html! {
        // The visible words are the link's name (with "download" before them for a screen
        // reader), so voice control finds it by what it shows.
        <a class={classes!(class, "file")} {href} download={file.file_name.clone()}>
            { file_icon() }
            <span class="visually-hidden">{ t(lang, Phrase::Download) }{ " " }</span>
            <span class="name">{ file.file_name.clone() }</span>
            <span class="size">{ human_size(file.file_size) }</span>
        </a>
    }
}

/// What a screen reader says for a picture: "Picture", and the name it was sent under
/// when its sender said.
pub fn picture_label(lang: Lang, image: &ImageElem) -> String {
    match &image.file_name {
        Some(name) => format!("{}: {name}", t(lang, Phrase::PictureAlt)),
        None => t(lang, Phrase::PictureAlt).to_owned(),
    }
}
