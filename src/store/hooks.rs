//! The store as components see it: an [`AppStore`] in context that holds the snapshot and
//! calls its subscribers on change, and [`use_selector`], which re-renders a component
//! only when the slice it selected changed (yewdux's idea, in a few lines).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use super::{Action, AppState, reduce};

type Subscriber = Rc<dyn Fn(&AppState)>;

/// The shared store: put it in a `ContextProvider` at the root.
#[derive(Clone)]
pub struct AppStore(Rc<Inner>);

struct Inner {
    state: RefCell<Rc<AppState>>,
    subscribers: RefCell<Vec<(u64, Subscriber)>>,
    next_id: Cell<u64>,
}

impl std::fmt::Debug for AppStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AppStore").field(&self.state()).finish()
    }
}

impl PartialEq for AppStore {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Ends a subscription when dropped.
#[derive(Debug)]
pub struct Subscription {
    store: AppStore,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.store
            .0
            .subscribers
            .borrow_mut()
            .retain(|(id, _)| *id != self.id);
    }
}

impl AppStore {
    /// A store holding `state`.
    pub fn new(state: AppState) -> Self {
        Self(Rc::new(Inner {
            state: RefCell::new(Rc::new(state)),
            subscribers: RefCell::default(),
            next_id: Cell::new(0),
        }))
    }

    /// The current snapshot.
    pub fn state(&self) -> Rc<AppState> {
        Rc::clone(&self.0.state.borrow())
    }

    /// Applies `action`; subscribers hear of it only if the state changed.
    pub fn dispatch(&self, action: Action) {
        let old = self.state();
        let new = reduce(Rc::clone(&old), action);
        if Rc::ptr_eq(&old, &new) {
            return;
        }
        *self.0.state.borrow_mut() = Rc::clone(&new);
        let subscribers: Vec<Subscriber> = self
            .0
            .subscribers
            .borrow()
            .iter()
            .map(|(_, s)| Rc::clone(s))
            .collect();
        for subscriber in subscribers {
            subscriber(&new);
        }
    }

    /// Calls `f` after every change, until the subscription is dropped.
    pub fn subscribe(&self, f: impl Fn(&AppState) + 'static) -> Subscription {
        let id = self.0.next_id.get();
        self.0.next_id.set(id + 1);
        self.0.subscribers.borrow_mut().push((id, Rc::new(f)));
        Subscription {
            store: self.clone(),
            id,
        }
    }
}

/// The store from context.
#[hook]
pub fn use_store() -> AppStore {
    use_context::<AppStore>().unwrap_or_else(|| AppStore::new(AppState::default()))
}

/// Selects a slice of the state (with `deps` the selection depends on); the component
/// re-renders only when that slice changes.
#[hook]
pub fn use_selector<D, T, F>(deps: D, select: F) -> T
where
    D: PartialEq + Clone + 'static,
    T: PartialEq + Clone + 'static,
    F: Fn(&AppState, &D) -> T + 'static,
{
    let store = use_store();
    let select = Rc::new(select);
    let value = {
        let (store, select, deps) = (store.clone(), Rc::clone(&select), deps.clone());
        use_state_eq(move || select(&store.state(), &deps))
    };
    {
        let setter = value.setter();
        use_effect_with((store, deps), move |(store, deps)| {
            setter.set(select(&store.state(), deps));
            let deps = deps.clone();
            let subscription = store.subscribe(move |state| setter.set(select(state, &deps)));
            move || drop(subscription)
        });
    }
    (*value).clone()
}
