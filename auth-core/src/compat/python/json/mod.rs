//! Python's `json` module: `loads` with CPython's error messages and positions, and `dumps` with
//! its escaping and float formatting.

pub mod dumps;
pub mod loads;
