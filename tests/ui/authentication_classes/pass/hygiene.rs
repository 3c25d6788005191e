//! Shadowing the prelude and `actix_web` must not break the expansion.
#![allow(dead_code, non_camel_case_types)]

use auth_actix::{Authentication, BasicAuthentication, IsAuthenticated, ReadOnly, authentication_classes, permission_classes};

mod actix_web {}
struct Result;
struct Ok;
struct Err;
struct Option;
struct Some;
struct None;
struct Box;
struct String;
struct Vec;
struct str;
struct request;
struct arguments;

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated & !ReadOnly)]
async fn handler() -> &'static ::core::primitive::str {
    ""
}

#[derive(Authentication)]
#[authentication(token, keyword = "Bearer")]
struct BearerToken;

fn main() {
    let _ = handler;
}
