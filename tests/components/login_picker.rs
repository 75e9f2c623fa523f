//! The login picker: the first screen anyone sees.

use wasm_bindgen_test::wasm_bindgen_test;
use webim::components::{LoginPicker, PickerAccount};
use yew::prelude::*;

use crate::dom::{context, host, text_of, texts_of};

#[wasm_bindgen_test]
async fn login_picker_shows_product_name_and_five_test_accounts() {
    let (store, effects) = context(vec![]);
    let picker = html! { <LoginPicker accounts={PickerAccount::first_run()} /> };
    let root = host(&store, &effects, picker).await;

    assert_eq!(text_of(&root, "h1"), "WebIM");
    assert_eq!(
        texts_of(&root, "li[data-account] .id"),
        [
            "peakerdong",
            "qiyueluhuo2016",
            "qiyueluhuo2017",
            "qiyueluhuo2018",
            "qiyueluhuo2019"
        ]
    );
    assert_eq!(
        texts_of(&root, "li[data-account] .nick"),
        [
            "peakerdong",
            "七月流火2016",
            "七月流火2017",
            "七月流火2018",
            "七月流火2019"
        ]
    );
}

#[wasm_bindgen_test]
async fn login_picker_avatars_show_the_first_letter_of_the_nick() {
    let (store, effects) = context(vec![]);
    let picker = html! { <LoginPicker accounts={PickerAccount::first_run()} /> };
    let root = host(&store, &effects, picker).await;

    let initials = texts_of(&root, "li[data-account] span[aria-hidden=true]");
    assert_eq!(initials, ["p", "七", "七", "七", "七"]);
}
