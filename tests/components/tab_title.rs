//! The tab title carries the unread total.

use std::rc::Rc;

use wasm_bindgen_test::wasm_bindgen_test;
use webim::components::TabTitle;
use webim::store::hooks::AppStore;
use webim::store::{Action, AppState, SessionRow};
use webim_proto::{AccountId, Timestamp};
use webim_sdk::SendStatus;
use yew::prelude::*;

thread_local! {
    static STORE: AppStore = AppStore::new(AppState::default());
}

#[component]
fn WithStore() -> Html {
    let store = STORE.with(Clone::clone);
    html! { <ContextProvider<AppStore> context={store}><TabTitle /></ContextProvider<AppStore>> }
}

fn row(peer: &str, unread: u32) -> SessionRow {
    SessionRow {
        peer: AccountId::new(peer).expect("an account"),
        unread,
        time: Timestamp(1),
        preview: Rc::from("x"),
        from_me: false,
        status: SendStatus::Sent,
    }
}

#[wasm_bindgen_test]
async fn the_title_counts_unread_messages_of_every_conversation() {
    let _root = crate::dom::mount::<WithStore>().await;
    assert_eq!(gloo::utils::document().title(), "WebIM");
    STORE.with(|s| {
        s.dispatch(Action::Sessions(vec![
            row("peakerdong", 2),
            row("qiyueluhuo2017", 1),
        ]));
    });
    yew::scheduler::flush().await;
    assert_eq!(gloo::utils::document().title(), "(3) WebIM");
    STORE.with(|s| {
        s.dispatch(Action::Sessions(vec![
            row("peakerdong", 0),
            row("qiyueluhuo2017", 0),
        ]));
    });
    yew::scheduler::flush().await;
    assert_eq!(gloo::utils::document().title(), "WebIM");
}
