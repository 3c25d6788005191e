//! Python's `json` module: `loads` with CPython's error messages and positions, and `dumps` with
//! its escaping and float formatting, and `dumps`'s `indent` layout.

pub mod dumps;
pub mod indent;
pub mod loads;
