//! The root component: theme, store, effects and router, and which screen a route shows
//! (the login picker until someone is logged in).

use std::rc::Rc;

use webim_proto::AccountId;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::{LoginForm, LoginPicker, NotificationClicks, PickerAccount, Shell};
use crate::effects::{Effects, use_mode};
use crate::route::{Route, Section};
use crate::store::hooks::{AppStore, use_selector};
use crate::store::{AppState, Login};
use crate::theme::ThemeRoot;

/// The whole app: what `main` renders.
#[component]
pub fn App() -> Html {
    let store = use_memo((), |_| AppStore::new(AppState::default()));
    // Started before the first render, so a reload that restores this tab's login never
    // shows (or redirects to) the picker on the way.
    let effects = use_memo((), {
        let store = (*store).clone();
        move |_| {
            let effects = Effects::new(store);
            effects.start();
            effects
        }
    });
    html! {
        <ThemeRoot>
            <ContextProvider<AppStore> context={(*store).clone()}>
                <ContextProvider<Rc<Effects>> context={(*effects).clone()}>
                    <BrowserRouter>
                        <NotificationClicks />
                        <Switch<Route> render={switch} />
                    </BrowserRouter>
                </ContextProvider<Rc<Effects>>>
            </ContextProvider<AppStore>>
        </ThemeRoot>
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Lab => html! { <crate::lab::Lab /> },
        route => html! { <Screen {route} /> },
    }
}

/// Props of [`Screen`].
#[derive(Debug, Properties, PartialEq)]
struct ScreenProps {
    route: Route,
}

/// A route for the person as they are: the picker when logged out, the shell when in.
#[component]
fn Screen(props: &ScreenProps) -> Html {
    let login = use_selector((), |s: &AppState, _| s.login.clone());
    let picker = use_mode().mode().has_picker();
    let logged_in = matches!(login, Login::In(_));
    if !logged_in {
        let screen = if picker {
            html! { <LoginPicker accounts={PickerAccount::first_run()} /> }
        } else {
            html! { <LoginForm /> }
        };
        return match props.route {
            Route::Login => screen,
            _ if matches!(login, Login::InProgress(_)) => screen,
            _ => html! { <Redirect<Route> to={Route::Login} /> },
        };
    }
    let (section, peer) = match &props.route {
        Route::Chat { peer } => (Section::Chats, AccountId::new(peer.as_str()).ok()),
        Route::Friends => (Section::Friends, None),
        Route::Requests => (Section::Requests, None),
        Route::Blacklist => (Section::Blacklist, None),
        Route::Profile => (Section::Profile, None),
        Route::Chats => (Section::Chats, None),
        Route::Login | Route::NotFound | Route::Lab => {
            return html! { <Redirect<Route> to={Route::Chats} /> };
        }
    };
    html! { <Shell {section} {peer} /> }
}
