//! The app's entry point: mounts [`webim::App`] on the page body; everything else is in the
//! library so the browser tests can mount the same components.

fn main() {
    yew::Renderer::<webim::App>::new().render();
}
