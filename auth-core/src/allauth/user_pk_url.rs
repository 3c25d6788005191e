//! allauth's `user_pk_to_url_str` and `url_str_to_user_pk` (`allauth/account/utils.py`): the
//! user id of a reset link, base36 for an integer key, the hex of a UUID key.

use crate::django::base36::{base36_to_int, int_to_base36};
use crate::store::user_id::{UserId, UserIdKind};

/// `user_pk_to_url_str(user)`: base36 of an integer key, 32 hex digits of a UUID key. A
/// negative integer key (which Django's `int_to_base36` refuses, a 500) is written in decimal,
/// which no link reads back.
pub fn user_pk_to_url_str(id: UserId) -> String {
    match id {
        UserId::Int(value) => match u128::try_from(value) {
            Ok(unsigned) => int_to_base36(unsigned),
            Err(_) => value.to_string(),
        },
        UserId::Uuid(bits) => format!("{bits:032x}"),
    }
}

/// `url_str_to_user_pk(text)`: the key `text` names for a model with `kind` keys; `None` where
/// allauth raises (`base36_to_int`'s `ValueError`, a UUID that does not parse — allauth lets
/// that `ValidationError` through, a 500 in dj-rest-auth's view, here an invalid uid).
pub fn url_str_to_user_pk(kind: UserIdKind, text: &str) -> Option<UserId> {
    match kind {
        UserIdKind::Integer => {
            let value = base36_to_int(text)?;
            i64::try_from(value).ok().map(UserId::Int)
        }
        _ => kind.to_python(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_keys_are_base36_and_read_as_pythons_int() {
        assert_eq!(user_pk_to_url_str(UserId::Int(1)), "1");
        assert_eq!(user_pk_to_url_str(UserId::Int(1296)), "100");
        let kind = UserIdKind::Integer;
        assert_eq!(url_str_to_user_pk(kind, "100"), Some(UserId::Int(1296)));
        // Python's `int(s, 36)`: either case, one `_` between digits.
        assert_eq!(url_str_to_user_pk(kind, "1_0"), Some(UserId::Int(36)));
        assert_eq!(url_str_to_user_pk(kind, "Z"), Some(UserId::Int(35)));
        for bad in ["", "!", "1.0", "zzzzzzzzzzzzzz"] {
            assert_eq!(url_str_to_user_pk(kind, bad), None, "{bad}");
        }
    }

    #[test]
    fn uuid_keys_are_hex() {
        let text = "5f0c0f5a9c1c4c3e8a2b6f7d8e9fa0b1";
        let Some(id) = url_str_to_user_pk(UserIdKind::Uuid, text) else {
            panic!("a UUID key");
        };
        assert_eq!(user_pk_to_url_str(id), text);
        assert_eq!(url_str_to_user_pk(UserIdKind::Uuid, "1"), None);
    }
}
