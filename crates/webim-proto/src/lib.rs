//! The WebIM wire protocol (contract §3): one set of types that the SDK, the embedded
//! service and the later server all compile, so a renamed field breaks every side at once.
//!
//! Types only: no IO, no clock, no runtime. Field names are exactly those on the wire
//! (`From_Account`, `Tag_Profile_IM_Nick`, …); closed value sets are enums.
#![warn(missing_docs)]

pub mod ids;
pub mod profile;

pub use ids::{AccountId, InvalidAccountId};
pub use profile::{AllowType, Gender};
