//! The parts of django-allauth 65.21.1 that dj-rest-auth 7.2.0 runs when allauth is installed
//! (`REST_AUTH` `ALLAUTH` here): its password-reset token, which also binds the user's email
//! addresses ([`password_reset_token`]), its search for a user by email ([`userkit`]), its
//! base36 user ids in links ([`user_pk_url`]), its email-confirmation keys
//! ([`email_confirmation`]), and the `account_emailaddress` rows
//! ([`crate::store::email_address`]) that they read and write.

pub mod email_confirmation;
pub mod password_reset_token;
pub mod user_pk_url;
pub mod userkit;
