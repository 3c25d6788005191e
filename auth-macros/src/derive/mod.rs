//! `#[derive(Authentication)]`: parse the struct (`ast`), then generate the scheme (`expand`).

pub(crate) mod ast;
pub(crate) mod expand;
