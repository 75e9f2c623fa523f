//! `imopenstat/…`: webim.js 1.7's reports on its own calls.

pub mod web_report;

pub use web_report::MAX_ITEMS;
