//! The app's entry point: mounts [`webim::App`] on the page body; everything else is in the
//! library so the browser tests can mount the same components.

fn main() {
    // The benchmarks read the wasm memory's size from the page.
    let _ = js_sys::Reflect::set(
        &gloo::utils::window(),
        &"__webim_wasm_memory".into(),
        &wasm_bindgen::memory(),
    );
    yew::Renderer::<webim::App>::new().render();
}
