//! The Rust side of `parity/run_simplejwt.py`: simplejwt tokens minted and read by
//! `auth_core::simplejwt`, one JSON request per line on stdin, one JSON answer per line on
//! stdout, so that the script can compare each with what simplejwt 5.5.1 does.
//!
//! The first line configures the tokens (`SIMPLE_JWT` by Django names):
//! `{"ALGORITHM":"HS256","SIGNING_KEY":"…","AUDIENCE":null,"ISSUER":null,"LEEWAY":0,
//!   "CHECK_REVOKE_TOKEN":false}`; answered `{"ok":true}` or `{"error":"…"}`. Then:
//!
//! * `{"op":"decode","kind":"access"|"refresh"|"sliding"|"untyped","token":"…"}` →
//!   `{"payload":{…}}` or `{"error":"<simplejwt's message>"}`;
//! * `{"op":"for_user","kind":…,"user_id":1,"password":"<stored hash>","claims":{…}}` → a new
//!   token with the extra claims appended: `{"token":"…","payload":{…}}`;
//! * `{"op":"access_token","token":"<refresh>"}` → the access token simplejwt's refresh view
//!   would mint from it: `{"token":"…","payload":{…}}` or `{"error":…}`;
//! * `{"op":"encode","payload":{…}}` → `{"token":"…"}` (`TokenBackend.encode`).

use std::io::{BufRead as _, Write as _};
use std::time::Duration;

use auth_core::jwt::Algorithm;
use auth_core::simplejwt::settings::Audience;
use auth_core::simplejwt::{SimpleJwtSettings, Token, TokenBackend, TokenKind};
use chrono::Utc;
use serde_json::{Map, Value, json};

fn configure(line: &str) -> Result<SimpleJwtSettings, String> {
    let config: Map<String, Value> = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let text = |name: &str| config.get(name).and_then(Value::as_str);
    let key = text("SIGNING_KEY").ok_or("SIGNING_KEY is required")?;
    let mut settings =
        SimpleJwtSettings::new(key.as_bytes().to_vec()).map_err(|e| e.to_string())?;
    if let Some(name) = text("ALGORITHM") {
        settings.algorithm = Algorithm::from_name(name).ok_or("unknown ALGORITHM")?;
    }
    settings.audience = match config.get("AUDIENCE") {
        Some(Value::String(one)) => Some(Audience::One(one.clone())),
        Some(Value::Array(many)) => Some(Audience::Many(
            many.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        )),
        _ => None,
    };
    settings.issuer = text("ISSUER").map(str::to_owned);
    if let Some(leeway) = config.get("LEEWAY").and_then(Value::as_f64) {
        settings.leeway = Duration::from_secs_f64(leeway.max(0.0));
    }
    settings.check_revoke_token = config
        .get("CHECK_REVOKE_TOKEN")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(settings)
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
    json!({"token": token.encode(), "payload": token.payload()})
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
            Ok(json!({"token": TokenBackend::new(settings).encode(payload)}))
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
    for line in lines.map_while(Result::ok) {
        let reply =
            answer(&settings, &line).unwrap_or_else(|error| json!({ "bad_request": error }));
        if writeln!(stdout, "{reply}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return;
        }
    }
}
