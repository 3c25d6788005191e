//! The policy attributes: parse (`args`, `permission_expr`), check and expand (`expand`).

pub(crate) mod args;
pub(crate) mod expand;
pub(crate) mod permission_expr;
