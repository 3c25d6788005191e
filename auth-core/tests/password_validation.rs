//! Django's password validators, replayed: every vector of `password_validation_vectors.json`
//! (made by `password_validation_vectors.py` from Django 6.1's own `validate_password`) must give
//! the same messages, in the same order, here.

#![allow(clippy::expect_used, clippy::panic)]

use auth_core::django::password_validation::{
    PasswordValidator, UserAttributes, validate_password,
};
use serde_json::Value;

#[test]
fn djangos_validators_give_djangos_messages() {
    let vectors: Value = serde_json::from_str(include_str!("password_validation_vectors.json"))
        .expect("the vectors file is JSON");
    let vectors = vectors["vectors"].as_array().expect("a list of vectors");
    assert!(vectors.len() > 400);
    let mut failures = Vec::new();
    for vector in vectors {
        let name = vector["name"].as_str().expect("name");
        let password = vector["password"].as_str().expect("password");
        let validators: Vec<PasswordValidator> = vector["config"]
            .as_array()
            .expect("config")
            .iter()
            .map(|entry| {
                let options = entry
                    .get("OPTIONS")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                PasswordValidator::from_config(entry["NAME"].as_str().expect("NAME"), &options)
                    .expect("Django's validators and options")
            })
            .collect();
        let user = vector["user"].as_object().map(|user| {
            let field = |name: &str| user[name].as_str().expect("a text field");
            UserAttributes::of_user(
                "username",
                field("username"),
                field("first_name"),
                field("last_name"),
                field("email"),
            )
        });
        let expected: Vec<&str> = vector["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .map(|message| message.as_str().expect("a message"))
            .collect();
        let got: Vec<String> = match validate_password(password, user.as_ref(), &validators) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|error| error.message).collect(),
        };
        if got != expected {
            failures.push(format!(
                "{name} ({password:?}): Django {expected:?}, here {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn bad_configuration_is_refused_with_djangos_reason() {
    let none = serde_json::Map::new();
    let error = PasswordValidator::from_config("myproject.validators.Strong", &none)
        .expect_err("unknown validator");
    assert_eq!(
        error.to_string(),
        "The module in NAME could not be imported: myproject.validators.Strong. Check your \
         AUTH_PASSWORD_VALIDATORS setting."
    );
    let options = |json: Value| json.as_object().cloned().expect("an object");
    let refused = |name: &str, given: Value| {
        PasswordValidator::from_config(name, &options(given))
            .expect_err("refused")
            .to_string()
    };
    let path = "django.contrib.auth.password_validation.";
    assert_eq!(
        refused(
            &format!("{path}UserAttributeSimilarityValidator"),
            serde_json::json!({"max_similarity": 0.05})
        ),
        "UserAttributeSimilarityValidator: option \"max_similarity\" must be at least 0.1"
    );
    assert_eq!(
        refused(
            &format!("{path}NumericPasswordValidator"),
            serde_json::json!({"strict": true})
        ),
        "NumericPasswordValidator: unexpected option \"strict\" in AUTH_PASSWORD_VALIDATORS"
    );
    assert!(
        refused(
            &format!("{path}CommonPasswordValidator"),
            serde_json::json!({"password_list_path": "/nonexistent/list.txt"})
        )
        .starts_with(
            "CommonPasswordValidator: option \"password_list_path\" \"/nonexistent/list.txt\": "
        )
    );
    // Django takes a negative length: nothing is too short then.
    let any = PasswordValidator::from_config(
        &format!("{path}MinimumLengthValidator"),
        &options(serde_json::json!({"min_length": -1})),
    )
    .expect("a negative min_length, as Django");
    assert_eq!(validate_password("", None, &[any]), Ok(()));
}
