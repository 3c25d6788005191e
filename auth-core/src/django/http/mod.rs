//! `django.http` pieces the schemes depend on: cookies as `HttpResponse.set_cookie` writes them,
//! host validation (`ALLOWED_HOSTS`) and WSGI header names.

pub mod cookie;
pub mod host;
pub mod meta;
