//! The app's entry point: mounts [`webim::App`] on the page body in place of the loading
//! shell (index.html's #splash, on screen before the app's files were fetched: see
//! Trunk.toml); everything else is in the library so the browser tests can mount the same
//! components.

fn main() {
    // The benchmarks read the wasm memory's size from the page.
    let _ = js_sys::Reflect::set(
        &gloo::utils::window(),
        &"__webim_wasm_memory".into(),
        &wasm_bindgen::memory(),
    );
    if let Some(splash) = gloo::utils::document().get_element_by_id("splash") {
        splash.remove();
    }
    yew::Renderer::<webim::App>::new().render();
}
