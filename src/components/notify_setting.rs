//! The desktop notifications switch (in the profile panel): the only place that asks the
//! browser's permission, and only when the person turns it on. Says why it cannot be on
//! when the browser refuses or cannot.

use stylist::yew::styled_component;
use yew::prelude::*;

use super::{t, use_lang};
use crate::effects::use_notifications;
use crate::i18n::Phrase;
use crate::store::hooks::use_selector;
use crate::store::{AppState, Notify};

/// The notifications section.
#[styled_component]
pub fn NotifySetting() -> Html {
    let lang = use_lang();
    let effects = use_notifications();
    let notify = use_selector((), |s: &AppState, _| s.notify);
    let onchange = Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
            return;
        };
        effects.set_notifications(input.checked());
    });
    let class = css!(
        r#"
        border: 1px solid var(--webim-border); border-radius: 8px; padding: 8px 12px 12px;
        display: flex; flex-direction: column; gap: 6px;
        h2 { font-size: inherit; font-weight: 600; }
        label { display: flex; gap: 8px; align-items: center; }
        p { font-size: 13px; color: var(--webim-muted); }
        "#
    );
    let (usable, note) = match notify {
        Notify::Denied => (false, Phrase::NotifyDenied),
        Notify::Unsupported => (false, Phrase::NotifyUnsupported),
        Notify::On | Notify::Off => (true, Phrase::NotifyHint),
    };
    html! {
        <section {class} id="profile-notify" aria-labelledby="profile-notify-title">
            <h2 id="profile-notify-title">{ t(lang, Phrase::Notifications) }</h2>
            <label>
                <input type="checkbox" id="notify-toggle" role="switch" checked={notify == Notify::On}
                    disabled={!usable} aria-describedby="profile-notify-note" {onchange} />
                { t(lang, Phrase::DesktopNotifications) }
            </label>
            <p id="profile-notify-note" role={(!usable).then_some("status")}>{ t(lang, note) }</p>
        </section>
    }
}
