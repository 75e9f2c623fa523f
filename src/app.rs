//! The root component: theme, router, and the switch from a route to its screen.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::{LoginPicker, PickerAccount};
use crate::route::Route;
use crate::theme::ThemeRoot;

/// The whole app: what `main` renders.
#[component]
pub fn App() -> Html {
    html! {
        <ThemeRoot>
            <BrowserRouter>
                <Switch<Route> render={switch} />
            </BrowserRouter>
        </ThemeRoot>
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Login => html! { <LoginPicker accounts={PickerAccount::first_run()} /> },
        Route::Lab => html! { <crate::lab::Lab /> },
        Route::NotFound => html! { <Redirect<Route> to={Route::Login} /> },
    }
}
