//! The Rust side of `parity/run_simplejwt.py`: simplejwt tokens minted and read by
//! `auth_core::simplejwt`, one JSON request per line on stdin, one JSON answer per line on
//! stdout, so that the script can compare each with what simplejwt 5.5.1 does.
//!
//! The first line configures the tokens: `SIMPLE_JWT` by Django names, read by
//! `SimpleJwtSettings::from_simple_jwt` (`{"ALGORITHM":"RS256","SIGNING_KEY":"<PEM>",
//! "VERIFYING_KEY":"<PEM>","AUDIENCE":…}`); answered `{"ok":true}` or `{"error":"…"}`. Then:
//!
//! * `{"op":"decode","kind":"access"|"refresh"|"sliding"|"untyped","token":"…"}` →
//!   `{"payload":{…}}` or `{"error":"<simplejwt's message>"}`;
//! * `{"op":"for_user","kind":…,"user_id":1,"password":"<stored hash>","claims":{…}}` → a new
//!   token with the extra claims appended: `{"token":"…","payload":{…}}`;
//! * `{"op":"access_token","token":"<refresh>"}` → the access token simplejwt's refresh view
//!   would mint from it: `{"token":"…","payload":{…}}` or `{"error":…}`;
//! * `{"op":"encode","payload":{…}}` → `{"token":"…"}` (`TokenBackend.encode`);
//! * `{"op":"connect","database_url":"…"}` → `{"ok":true}`: a database the Python side
//!   migrated (simplejwt's blacklist tables in it), for the two ops below;
//! * `{"op":"pair_for_user","user_id":1}` → the obtain view's body for that user
//!   (`simplejwt_serializers::pair_for_user`, the refresh token recorded);
//! * `{"op":"view","view":"refresh"|"verify"|"blacklist","token":"…"}` → `{"status":200,
//!   "body":{…}}`: what the view answers.

use auth_core::auth_settings::AuthSettings;
use auth_core::environment::Environment;
use auth_core::simplejwt::{SimpleJwtSettings, Token, TokenBackend, TokenKind};
use auth_core::simplejwt_serializers as serializers;
use auth_core::store::user::UserId;
use chrono::Utc;
use serde_json::{Map, Value, json};
use std::io::{BufRead as _, Write as _};

/// The first line: `SIMPLE_JWT` by Django names, read as the library reads it.
fn configure(line: &str) -> Result<SimpleJwtSettings, String> {
    let config: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    SimpleJwtSettings::from_simple_jwt(&config, b"").map_err(|error| error.to_string())
}

fn kind(request: &Map<String, Value>) -> Result<TokenKind, String> {
    match request.get("kind").and_then(Value::as_str) {
        Some("access") => Ok(TokenKind::Access),
        Some("refresh") => Ok(TokenKind::Refresh),
        Some("sliding") => Ok(TokenKind::Sliding),
        Some("untyped") => Ok(TokenKind::Untyped),
        other => Err(format!("unknown kind {other:?}")),
    }
}

fn minted(token: &Token<'_>) -> Value {
    match token.encode() {
        Ok(text) => json!({"token": text, "payload": token.payload()}),
        Err(error) => json!({"error": error.to_string()}),
    }
}

/// The shared database and the settings around it, once `connect` was asked.
struct Database {
    runtime: actix_web::rt::SystemRunner,
    env: Environment,
}

fn connect(settings: &SimpleJwtSettings, url: &str) -> Result<Database, String> {
    let runtime = actix_web::rt::System::new();
    let auth = AuthSettings::builder()
        .secret_key("the oracle signs with SIMPLE_JWT's key, not this one")
        .database_url(url)
        .simple_jwt(settings.clone())
        .build()
        .map_err(|error| error.to_string())?;
    let db = runtime
        .block_on(auth.connect_and_migrate())
        .map_err(|error| error.to_string())?;
    let env = auth.environment(db);
    Ok(Database { runtime, env })
}

/// The database ops: `pair_for_user` and `view`.
fn answer_with_database(
    settings: &SimpleJwtSettings,
    database: &Database,
    request: &Map<String, Value>,
) -> Result<Value, String> {
    let text = |name: &str| {
        request
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let env = &database.env;
    let reply = database.runtime.block_on(async {
        match text("op") {
            "pair_for_user" => {
                let id = request
                    .get("user_id")
                    .and_then(Value::as_i64)
                    .map(UserId::Int)
                    .ok_or("user_id must be a number")?;
                let user = env
                    .settings()
                    .user_model
                    .find_by_id(env.db(), id)
                    .await
                    .map_err(|error| error.to_string())?
                    .ok_or("no such user")?;
                Ok(serializers::pair_for_user(env, settings, &user).await)
            }
            "view" => Ok(match text("view") {
                "refresh" => serializers::refresh(env, settings, text("token")).await,
                "verify" => serializers::verify(env, settings, text("token")).await,
                "blacklist" => serializers::blacklist(env, settings, text("token")).await,
                other => return Err(format!("unknown view {other:?}")),
            }),
            other => Err(format!("unknown op {other:?}")),
        }
    })?;
    Ok(match reply {
        Ok(body) => json!({"status": 200, "body": body}),
        Err(error) => {
            let error = serializers::view_error(settings, error);
            let body = serde_json::from_str::<Value>(&error.body_json()).unwrap_or(Value::Null);
            json!({"status": error.status(), "body": body})
        }
    })
}

fn answer(settings: &SimpleJwtSettings, line: &str) -> Result<Value, String> {
    let request: Map<String, Value> = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let text = |name: &str| {
        request
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let now = Utc::now();
    match text("op") {
        "decode" => Ok(
            match Token::decode(kind(&request)?, text("token"), settings, now, true) {
                Ok(token) => json!({"payload": token.payload()}),
                Err(error) => json!({"error": error.message()}),
            },
        ),
        "for_user" => {
            let user_id = request.get("user_id").and_then(Value::as_i64).unwrap_or(1);
            let mut token =
                Token::for_user(kind(&request)?, settings, user_id, text("password"), now);
            if let Some(Value::Object(claims)) = request.get("claims") {
                for (claim, value) in claims {
                    token.insert(claim, value.clone());
                }
            }
            Ok(minted(&token))
        }
        "access_token" => Ok(
            match Token::decode(TokenKind::Refresh, text("token"), settings, now, true) {
                Ok(refresh) => minted(&refresh.access_token()),
                Err(error) => json!({"error": error.message()}),
            },
        ),
        "encode" => {
            let Some(Value::Object(payload)) = request.get("payload") else {
                return Err("payload must be an object".to_owned());
            };
            TokenBackend::new(settings)
                .encode(payload)
                .map(|token| json!({ "token": token }))
                .map_err(|error| error.to_string())
        }
        other => Err(format!("unknown op {other:?}")),
    }
}

fn main() {
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    let mut lines = stdin.lock().lines();
    let settings = match lines
        .next()
        .map(|line| configure(&line.unwrap_or_default()))
    {
        Some(Ok(settings)) => {
            let _ = writeln!(stdout, "{}", json!({"ok": true}));
            settings
        }
        Some(Err(error)) => {
            let _ = writeln!(stdout, "{}", json!({ "error": error }));
            return;
        }
        None => return,
    };
    let mut database = None;
    for line in lines.map_while(Result::ok) {
        let request: Map<String, Value> = serde_json::from_str(&line).unwrap_or_default();
        let reply = match (request.get("op").and_then(Value::as_str), &database) {
            (Some("connect"), _) => {
                let url = request.get("database_url").and_then(Value::as_str);
                match connect(&settings, url.unwrap_or_default()) {
                    Ok(connected) => {
                        database = Some(connected);
                        Ok(json!({"ok": true}))
                    }
                    Err(error) => Err(error),
                }
            }
            (Some("pair_for_user" | "view"), Some(connected)) => {
                answer_with_database(&settings, connected, &request)
            }
            (Some("pair_for_user" | "view"), None) => Err("connect first".to_owned()),
            _ => answer(&settings, &line),
        }
        .unwrap_or_else(|error| json!({ "bad_request": error }));
        if writeln!(stdout, "{reply}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return;
        }
    }
}
