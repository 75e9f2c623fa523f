//! The relationship panels: validation before anything is sent, empty states, and results
//! told as sentences (never bare codes). The last tests log in for real, through the
//! embedded backend in this page's IndexedDB.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlInputElement};
use webim::components::{AddFriend, BlacklistPanel, FriendList, ProfilePanel, RequestsPanel};
use webim::effects::{Effects, LoginHandle};
use webim::store::hooks::AppStore;
use webim::store::{Action, Login, MyProfile};
use webim_proto::{AccountId, AllowType, Gender};
use yew::prelude::*;

use crate::dom::{click, context, exists, find, fire, host, text_of, texts_of, until};

async fn set_input(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector).unchecked_into();
    input.set_value(value);
    fire(root, selector, "input").await;
}

async fn submit(root: &Element, selector: &str) {
    fire(root, selector, "submit").await;
}

fn profile(nick: &str) -> Action {
    Action::Profile(MyProfile {
        nick: nick.to_owned(),
        gender: Gender::Female,
        allow_type: AllowType::NeedConfirm,
    })
}

#[wasm_bindgen_test]
async fn profile_panel_refuses_bad_nicks_inline() {
    let (store, effects) = context(vec![profile("七月流火2016")]);
    let root = host(&store, &effects, html! { <ProfilePanel /> }).await;
    assert_eq!(
        find(&root, "#profile-nick")
            .unchecked_into::<HtmlInputElement>()
            .value(),
        "七月流火2016"
    );
    for (nick, sentence) in [
        ("", "请输入昵称"),
        ("   ", "昵称不能全是空格，请重新输入"),
        (&"x".repeat(65), "昵称太长（最多 64 字节）"),
    ] {
        set_input(&root, "#profile-nick", nick).await;
        submit(&root, "#profile-panel").await;
        assert_eq!(
            text_of(&root, "#profile-message"),
            sentence,
            "nick {nick:?}"
        );
    }
    // A good nick goes to the SDK; without a login the answer is a sentence too.
    set_input(&root, "#profile-nick", "新名字").await;
    submit(&root, "#profile-panel").await;
    assert!(until(|| exists(&root, "#profile-message")).await);
    assert!(until(|| text_of(&root, "#profile-message") == "请先登录").await);
}

#[wasm_bindgen_test]
async fn empty_lists_say_so() {
    let (store, effects) = context(vec![]);
    let root = host(&store, &effects, html! { <RequestsPanel /> }).await;
    assert_eq!(
        texts_of(&root, ".placeholder"),
        ["没有好友申请", "没有好友申请"]
    );
    let root = host(&store, &effects, html! { <BlacklistPanel /> }).await;
    assert_eq!(text_of(&root, ".placeholder"), "黑名单是空的");
    let root = host(&store, &effects, html! { <FriendList /> }).await;
    assert_eq!(text_of(&root, ".placeholder"), "您目前还没有好友");
}

#[wasm_bindgen_test]
async fn searching_and_blocking_need_an_account_id() {
    let (store, effects) = context(vec![]);
    let root = host(&store, &effects, html! { <AddFriend /> }).await;
    submit(&root, "#add-friend form").await;
    assert_eq!(text_of(&root, "#add-friend-message"), "请输入用户账号");
    let root = host(&store, &effects, html! { <BlacklistPanel /> }).await;
    submit(&root, "#blacklist-panel form").await;
    assert_eq!(text_of(&root, "#blacklist-message"), "请输入用户账号");
}

async fn logged_in(id: &str) -> (AppStore, Rc<Effects>) {
    let (store, effects) = context(vec![]);
    LoginHandle::of(&effects).login(AccountId::new(id).expect("an account"));
    let ok = until(|| matches!(store.state().login, Login::In(_))).await;
    assert!(ok, "logged in: {:?}", store.state().login);
    (store, effects)
}

#[wasm_bindgen_test]
async fn add_friend_explains_deny_any_and_checks_the_wording() {
    let (store, effects) = logged_in("qiyueluhuo2018").await;
    let root = host(&store, &effects, html! { <AddFriend /> }).await;

    set_input(&root, "#add-friend-id", "qiyueluhuo2019").await;
    submit(&root, "#add-friend form").await;
    assert!(until(|| exists(&root, "#add-friend-note")).await);
    assert_eq!(
        text_of(&root, "#add-friend-note"),
        "对方拒绝任何人加好友，无法加对方为好友"
    );
    assert!(
        find(&root, "#add-friend-send").has_attribute("disabled"),
        "nothing can be sent"
    );

    set_input(&root, "#add-friend-id", "nobody.here").await;
    submit(&root, "#add-friend form").await;
    assert!(until(|| exists(&root, "#add-friend-message")).await);
    assert_eq!(text_of(&root, "#add-friend-message"), "账号不存在");

    set_input(&root, "#add-friend-id", "peakerdong").await;
    submit(&root, "#add-friend form").await;
    assert!(
        until(|| exists(&root, "#add-friend-wording")).await,
        "NeedConfirm asks for a wording"
    );
    let wording: web_sys::HtmlTextAreaElement = find(&root, "#add-friend-wording").unchecked_into();
    assert_eq!(wording.value(), "你好，我想和你成为朋友~~");
    wording.set_value(&"好".repeat(41));
    fire(&root, "#add-friend-wording", "input").await;
    assert_eq!(text_of(&root, ".count.over"), "123 / 120");
    click(&root, "#add-friend-send").await;
    assert_eq!(
        text_of(&root, "#add-friend-message"),
        "附言太长（最多 120 字节）"
    );
}
