//! A round avatar: the first letter of a name on a colour derived from the account id, so
//! one person keeps one colour everywhere without any image to download.

use stylist::yew::styled_component;
use yew::prelude::*;

/// Props of [`Avatar`].
#[derive(Debug, Properties, PartialEq)]
pub struct AvatarProps {
    /// The account the colour is derived from.
    pub id: AttrValue,
    /// The name whose first letter is shown.
    pub name: AttrValue,
    /// Diameter in CSS pixels.
    #[prop_or(40)]
    pub size: u32,
}

/// How many evenly spaced hues avatars are drawn from.
const HUE_STEPS: u32 = 16;

/// A stable hue in degrees for an id (FNV-1a; the same id always gets the same colour).
pub fn hue_of(id: &str) -> u32 {
    let hash = id.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (hash % HUE_STEPS) * 360 / HUE_STEPS
}

/// A decorative avatar: hidden from screen readers, since the name is always next to it.
#[styled_component]
pub fn Avatar(props: &AvatarProps) -> Html {
    let initial: String = props
        .name
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_default();
    let style = format!(
        "width:{0}px;height:{0}px;font-size:{1}px;background:hsl({2} 50% 42%);",
        props.size,
        props.size * 2 / 5,
        hue_of(&props.id)
    );
    let class = css!(
        r#"
        display: inline-flex;
        align-items: center;
        justify-content: center;
        flex: none;
        border-radius: 50%;
        color: #fff;
        font-weight: 600;
        user-select: none;
        "#
    );
    html! { <span {class} {style} aria-hidden="true">{ initial }</span> }
}
