//! `django.http` pieces the schemes depend on: cookies as `HttpResponse.set_cookie` writes them
//! and as `parse_cookie` reads them, host validation (`ALLOWED_HOSTS`) and WSGI header names.

pub mod cookie;
pub mod host;
pub mod meta;
pub mod parse_cookie;
pub mod uri;
