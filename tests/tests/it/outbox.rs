//! What the account-email suites share: a `POST` to the test server, the emails the views send
//! after answering, read from the test outbox, and allauth's address rows.

use std::time::Duration;

use actix_web::test::TestRequest;
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use auth_core::django::mail::EmailMessage;
use auth_core::services::locmem_email_backend::LocmemEmailBackend;

/// A JSON `POST` to the test server (`Host: testserver`, as Django's test client sends it).
pub fn post(path: &str, body: serde_json::Value) -> TestRequest {
    TestRequest::post()
        .uri(path)
        .insert_header(("Host", "testserver"))
        .set_json(body)
}

/// The emails sent after the answer, once `count` are in the outbox (two seconds at most); the
/// outbox is emptied.
pub async fn sent(outbox: &LocmemEmailBackend, count: usize) -> Vec<EmailMessage> {
    for _ in 0..200 {
        if outbox.outbox().len() >= count {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    let messages = outbox.take();
    assert_eq!(messages.len(), count, "{messages:?}");
    messages
}

/// `account_emailaddress` as (email, verified, primary), by id.
pub async fn address_rows(db: &DatabaseConnection) -> Vec<(String, bool, bool)> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT email, verified, \"primary\" FROM account_emailaddress ORDER BY id",
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| {
        (
            row.try_get("", "email").unwrap(),
            row.try_get("", "verified").unwrap(),
            row.try_get("", "primary").unwrap(),
        )
    })
    .collect()
}
