//! The app's components, one per file, each with its props and its styles beside it.

mod account_card;
mod avatar;
mod login_picker;

pub use account_card::AccountCard;
pub use avatar::Avatar;
pub use login_picker::{LoginPicker, PickerAccount};
