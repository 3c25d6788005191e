//! Django REST framework's `JSONParser`, with CPython 3.13's error messages and positions
//! byte for byte (DRF answers `400 {"detail":"JSON parse error - <parser message>"}`).
//!
//! DRF 3.18 reads a JSON body as `json.load(codecs.getreader('utf-8')(stream),
//! parse_constant=strict_constant)` and turns any `ValueError` into
//! `ParseError('JSON parse error - %s' % exc)`. [`parse`] takes the same steps, and
//! [`JsonParseError`]'s `Display` is the text after `JSON parse error - `:
//!
//! 1. **UTF-8, as `codecs.StreamReader.read()` decodes.** An invalid sequence is a
//!    `UnicodeDecodeError` (a `ValueError`): `'utf-8' codec can't decode byte 0xff in position 0:
//!    invalid start byte`, positions in bytes, CPython's maximal-subpart lengths. The reader
//!    decodes with `final=False` and keeps an incomplete sequence for a next read that never
//!    comes, so an incomplete sequence at the very end of the body is dropped silently (CPython
//!    counts a final `ED A0`–`ED BF` as incomplete too).
//! 2. **`json.loads` on the text.** A leading U+FEFF (the `utf-8` codec, unlike `utf-8-sig`,
//!    keeps the BOM) is `Unexpected UTF-8 BOM (decode using utf-8-sig)`.
//! 3. **The C scanner (`Modules/_json.c`).** Its messages (`Expecting value`, `Illegal trailing
//!    comma before end of array`, …) and its exact error positions, reported as `<message>: line
//!    L column C (char P)` where P counts code points and only `\n` starts a line.
//! 4. **Values.** `NaN`, `Infinity` and `-Infinity` are refused by DRF's `strict_constant`
//!    (`Out of range float values are not JSON compliant: 'NaN'`); an integer of more than 4300
//!    digits is refused by `int()` (CPython's default `sys.get_int_max_str_digits()`). Duplicate
//!    keys: the last value wins, at the first key's position (serde_json's `preserve_order` map
//!    behaves as a Python dict). Errors are reported in scan order, as CPython raises them.
//!
//! # Divergences
//!
//! What a [`serde_json::Value`] cannot hold is mapped, never refused (Python accepts it):
//!
//! * A lone surrogate from a `\uXXXX` escape (`"\ud800"`) becomes U+FFFD: a Rust `String`
//!   cannot hold it. Two keys that differ only there become one key.
//! * An integer outside `i64`/`u64` (a Python `int` of any size) becomes the nearest `f64`, as
//!   serde_json does without its `arbitrary_precision` feature (beyond `f64`, ±`f64::MAX`), so
//!   a message naming its type says `float` where DRF says `int`.
//! * A float literal that overflows (`1e400`, `inf` in Python) becomes ±`f64::MAX`, the nearest
//!   finite value (still a float).
//!
//! Nesting: CPython's scanner recurses, and past its C recursion limit it raises
//! `RecursionError`, which is no `ValueError`: DRF answers 500. The limit is 10 000 frames minus
//! those already in use (9 998 levels when the parser is called directly, about 9 980 through a
//! Django view). This scanner is iterative, so no depth can overflow its stack; past
//! [`MAX_DEPTH`] levels it returns [`JsonParseError::TooDeep`], whose text is the
//! `RecursionError`'s, and the caller answers 400 where DRF answers 500. (serde_json drops a
//! `Value` recursively; one [`MAX_DEPTH`] deep drops within a 2 MiB worker stack, which the
//! tests check.)
//!
//! Charset: Django decodes with the request's `charset` content-type parameter when Python knows
//! the codec; this function always decodes UTF-8 (`DEFAULT_CHARSET`).

use std::fmt;

use serde_json::{Map, Number, Value};

/// The deepest nesting accepted: the most CPython 3.13 ever accepts (its C recursion limit is
/// 10 000 frames; `JSONParser().parse()` called directly manages 9 998 levels, a real request
/// somewhat fewer), so every body DRF parses parses here too.
pub const MAX_DEPTH: usize = 9_998;

/// CPython's default `sys.get_int_max_str_digits()`: `int()` refuses longer digit strings.
const INT_MAX_STR_DIGITS: usize = 4_300;

/// Why DRF's `JSONParser` refuses a body; `Display` is the text after `JSON parse error - `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonParseError {
    /// The body is not UTF-8: codecs' `UnicodeDecodeError`.
    #[error("'utf-8' codec can't decode {bytes}: {reason}")]
    Utf8 {
        /// The undecodable bytes.
        bytes: ByteSpan,
        /// CPython's reason.
        reason: Utf8Reason,
    },
    /// `json.JSONDecodeError`.
    #[error("{syntax}: line {line} column {column} (char {position})")]
    Syntax {
        /// What the scanner expected or refused.
        syntax: Syntax,
        /// 1-based line: the `\n` before `position`, plus one.
        line: usize,
        /// 1-based column, in code points.
        column: usize,
        /// 0-based offset in the decoded text, in code points.
        position: usize,
    },
    /// DRF's `strict_constant`: `NaN`, `Infinity` or `-Infinity`.
    #[error("Out of range float values are not JSON compliant: '{0}'")]
    NonFiniteConstant(&'static str),
    /// `int()` refuses an integer literal of more than 4300 digits (sign not counted).
    #[error(
        "Exceeds the limit ({limit} digits) for integer string conversion: value has {digits} \
         digits; use sys.set_int_max_str_digits() to increase the limit",
        limit = INT_MAX_STR_DIGITS
    )]
    IntegerTooLong {
        /// The literal's digit count.
        digits: usize,
    },
    /// Nesting beyond [`MAX_DEPTH`]: CPython's `RecursionError` (a 500 in DRF, see the module
    /// documentation).
    #[error("maximum recursion depth exceeded while decoding a JSON {0} from a unicode string")]
    TooDeep(Container),
}

/// Undecodable bytes of the body, shown as `UnicodeDecodeError` shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSpan {
    /// Offset of the first byte in the body.
    pub start: usize,
    /// How many bytes (1 to 3: the longest prefix of a valid sequence, as CPython reports).
    pub len: usize,
    /// The first byte.
    pub first: u8,
}

impl fmt::Display for ByteSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.len <= 1 {
            write!(f, "byte 0x{:02x} in position {}", self.first, self.start)
        } else {
            let last = self.start + self.len - 1;
            write!(f, "bytes in position {}-{last}", self.start)
        }
    }
}

/// CPython's UTF-8 decoding reasons (`unexpected end of data` cannot happen: see step 1 of
/// the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf8Reason {
    /// A byte that cannot start a sequence (`80`–`C1`, `F5`–`FF`).
    InvalidStartByte,
    /// A lead byte not followed by what it needs (overlong forms and surrogates included).
    InvalidContinuationByte,
}

impl fmt::Display for Utf8Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidStartByte => "invalid start byte",
            Self::InvalidContinuationByte => "invalid continuation byte",
        })
    }
}

/// The `json.JSONDecodeError` messages; `Display` is CPython's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// The text starts with U+FEFF.
    UnexpectedBom,
    /// No value where one must start.
    ExpectingValue,
    /// An object member does not start with `"`.
    ExpectingPropertyName,
    /// No `:` after a member name.
    ExpectingColon,
    /// Neither `,` nor the closing bracket after a value.
    ExpectingComma,
    /// `,` right before `}` (reported at the comma).
    TrailingCommaInObject,
    /// `,` right before `]` (reported at the comma).
    TrailingCommaInArray,
    /// A string without its closing quote (reported at the opening quote).
    UnterminatedString,
    /// A raw character below U+0020 inside a string.
    InvalidControlCharacter,
    /// A backslash followed by a character that is no escape.
    InvalidEscape,
    /// `\u` not followed by four hex digits (reported at the `u`).
    InvalidUnicodeEscape,
    /// Something after the value.
    ExtraData,
}

impl fmt::Display for Syntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnexpectedBom => "Unexpected UTF-8 BOM (decode using utf-8-sig)",
            Self::ExpectingValue => "Expecting value",
            Self::ExpectingPropertyName => "Expecting property name enclosed in double quotes",
            Self::ExpectingColon => "Expecting ':' delimiter",
            Self::ExpectingComma => "Expecting ',' delimiter",
            Self::TrailingCommaInObject => "Illegal trailing comma before end of object",
            Self::TrailingCommaInArray => "Illegal trailing comma before end of array",
            Self::UnterminatedString => "Unterminated string starting at",
            Self::InvalidControlCharacter => "Invalid control character at",
            Self::InvalidEscape => "Invalid \\escape",
            Self::InvalidUnicodeEscape => "Invalid \\uXXXX escape",
            Self::ExtraData => "Extra data",
        })
    }
}

/// The kind of container whose nesting went too deep, as CPython's message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// `[`.
    Array,
    /// `{`.
    Object,
}

impl fmt::Display for Container {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Array => "array",
            Self::Object => "object",
        })
    }
}

/// Parses a request body as DRF's JSONParser does (UTF-8 through codecs.getreader, then
/// json.load with DRF's strict constants).
///
/// Never panics, at any input or depth. See the module documentation for what a
/// [`serde_json::Value`] cannot hold.
pub fn parse(body: &[u8]) -> Result<Value, JsonParseError> {
    let text = decode(body)?;
    let scanner = Scanner {
        text,
        bytes: text.as_bytes(),
    };
    // `json.loads` checks this on the str, before scanning.
    if text.starts_with('\u{feff}') {
        return Err(scanner.syntax(0, Syntax::UnexpectedBom));
    }
    scanner.document()
}

/// The text `codecs.getreader('utf-8')(stream).read()` returns, or its `UnicodeDecodeError`.
fn decode(body: &[u8]) -> Result<&str, JsonParseError> {
    // The first chunk is the longest valid prefix; anything after it starts at the first byte
    // CPython's decoder stops at.
    let Some(chunk) = body.utf8_chunks().next() else {
        return Ok("");
    };
    let valid = chunk.valid();
    let rest = body.get(valid.len()..).unwrap_or_default();
    match undecodable(rest) {
        None => Ok(valid),
        Some((len, first, reason)) => Err(JsonParseError::Utf8 {
            bytes: ByteSpan {
                start: valid.len(),
                len,
                first,
            },
            reason,
        }),
    }
}

/// How CPython's UTF-8 decoder (`final=False`) treats `rest`, which starts where valid UTF-8
/// stops: `None` when it is empty or an incomplete sequence ending the body (kept back, then
/// dropped), else the length of the undecodable prefix, its first byte and the reason.
fn undecodable(rest: &[u8]) -> Option<(usize, u8, Utf8Reason)> {
    let (&first, tail) = rest.split_first()?;
    // The bytes allowed right after the lead byte (excluding overlong forms, surrogates and
    // code points past U+10FFFF), and the sequence length.
    let (second, width): (std::ops::RangeInclusive<u8>, usize) = match first {
        0xC2..=0xDF => (0x80..=0xBF, 2),
        0xE0 => (0xA0..=0xBF, 3),
        0xED => (0x80..=0x9F, 3),
        0xE1..=0xEF => (0x80..=0xBF, 3),
        0xF0 => (0x90..=0xBF, 4),
        0xF1..=0xF3 => (0x80..=0xBF, 4),
        0xF4 => (0x80..=0x8F, 4),
        _ => return Some((1, first, Utf8Reason::InvalidStartByte)),
    };
    // CPython reports the longest prefix of a valid sequence (lead byte included).
    let mut prefix = 1;
    for (index, byte) in tail.iter().take(width - 1).enumerate() {
        let allowed = if index == 0 {
            second.contains(byte)
        } else {
            (0x80..=0xBF).contains(byte)
        };
        if !allowed {
            break;
        }
        prefix += 1;
    }
    let incomplete_at_end = prefix == rest.len();
    // `unicode_decode_utf8`, when not final: "Truncated surrogate code in range D800-DFFF" is
    // kept back like an incomplete sequence.
    let truncated_surrogate =
        first == 0xED && rest.len() == 2 && tail.first().is_some_and(|b| (0xA0..=0xBF).contains(b));
    if incomplete_at_end || truncated_surrogate {
        return None;
    }
    Some((prefix, first, Utf8Reason::InvalidContinuationByte))
}

/// A container being filled, innermost last.
enum Open {
    Array(Vec<Value>),
    /// The members so far, and the key of the member whose value is being scanned.
    Object(Map<String, Value>, String),
}

/// `Modules/_json.c`'s scanner over the decoded text. Indexes are byte offsets into `text`;
/// every position the scanner stops at is an ASCII character or the end, so they convert to
/// CPython's code-point positions only when an error is reported.
struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
}

impl Scanner<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn is_digit(&self, at: usize) -> bool {
        self.byte(at).is_some_and(|b| b.is_ascii_digit())
    }

    /// `json.decoder.WHITESPACE` / `IS_WHITESPACE`: only these four.
    fn skip_whitespace(&self, mut at: usize) -> usize {
        while matches!(self.byte(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            at += 1;
        }
        at
    }

    /// `JSONDecodeError(msg, doc, pos)`: line and column from the `\n`s before `pos`.
    fn syntax(&self, at: usize, syntax: Syntax) -> JsonParseError {
        let before = self.bytes.get(..at).unwrap_or(self.bytes);
        let position = code_points(before);
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = match before.iter().rposition(|b| *b == b'\n') {
            Some(newline) => code_points(before.get(newline + 1..).unwrap_or_default()) + 1,
            None => position + 1,
        };
        JsonParseError::Syntax {
            syntax,
            line,
            column,
            position,
        }
    }

    /// `JSONDecoder.decode`: one value between optional whitespace.
    fn document(&self) -> Result<Value, JsonParseError> {
        let (value, end) = self.value(self.skip_whitespace(0))?;
        let end = self.skip_whitespace(end);
        if end != self.bytes.len() {
            return Err(self.syntax(end, Syntax::ExtraData));
        }
        Ok(value)
    }

    /// `scan_once` at `at`: the value and the offset after it. CPython recurses into
    /// containers; this keeps the open ones on a heap stack instead, checking the same syntax
    /// in the same order.
    fn value(&self, mut at: usize) -> Result<(Value, usize), JsonParseError> {
        let mut open: Vec<Open> = Vec::new();
        loop {
            // A value starts at `at`: a scalar, an empty container, or a container's first
            // member (then scan that member's value).
            let container = match self.byte(at) {
                Some(b'[') => Some(Container::Array),
                Some(b'{') => Some(Container::Object),
                _ => None,
            };
            let mut value = match container {
                None => {
                    let (value, next) = self.scalar(at)?;
                    at = next;
                    value
                }
                Some(container) => {
                    // CPython's `_Py_EnterRecursiveCall` happens for empty containers too.
                    if open.len() >= MAX_DEPTH {
                        return Err(JsonParseError::TooDeep(container));
                    }
                    let inside = self.skip_whitespace(at + 1);
                    match (container, self.byte(inside)) {
                        (Container::Array, Some(b']')) => {
                            at = inside + 1;
                            Value::Array(Vec::new())
                        }
                        (Container::Object, Some(b'}')) => {
                            at = inside + 1;
                            Value::Object(Map::new())
                        }
                        (Container::Array, _) => {
                            open.push(Open::Array(Vec::new()));
                            at = inside;
                            continue;
                        }
                        (Container::Object, _) => {
                            let (key, next) = self.member_name(inside)?;
                            open.push(Open::Object(Map::new(), key));
                            at = next;
                            continue;
                        }
                    }
                }
            };
            // The value is complete: store it, and close every container it completes.
            loop {
                let Some(innermost) = open.last_mut() else {
                    return Ok((value, at));
                };
                at = self.skip_whitespace(at);
                let comma = match innermost {
                    Open::Array(items) => {
                        items.push(value);
                        match self.byte(at) {
                            Some(b']') => {
                                value = Value::Array(std::mem::take(items));
                                open.pop();
                                at += 1;
                                continue;
                            }
                            Some(b',') => at,
                            _ => return Err(self.syntax(at, Syntax::ExpectingComma)),
                        }
                    }
                    Open::Object(members, key) => {
                        members.insert(std::mem::take(key), value);
                        match self.byte(at) {
                            Some(b'}') => {
                                value = Value::Object(std::mem::take(members));
                                open.pop();
                                at += 1;
                                continue;
                            }
                            Some(b',') => at,
                            _ => return Err(self.syntax(at, Syntax::ExpectingComma)),
                        }
                    }
                };
                at = self.skip_whitespace(comma + 1);
                match (innermost, self.byte(at)) {
                    (Open::Array(_), Some(b']')) => {
                        return Err(self.syntax(comma, Syntax::TrailingCommaInArray));
                    }
                    (Open::Object(_, _), Some(b'}')) => {
                        return Err(self.syntax(comma, Syntax::TrailingCommaInObject));
                    }
                    (Open::Array(_), _) => {}
                    (Open::Object(_, key), _) => {
                        let (name, next) = self.member_name(at)?;
                        *key = name;
                        at = next;
                    }
                }
                break;
            }
        }
    }

    /// A member's name and its `:`; returns the name and where its value starts.
    fn member_name(&self, at: usize) -> Result<(String, usize), JsonParseError> {
        if self.byte(at) != Some(b'"') {
            return Err(self.syntax(at, Syntax::ExpectingPropertyName));
        }
        let (name, after) = self.string(at + 1)?;
        let colon = self.skip_whitespace(after);
        if self.byte(colon) != Some(b':') {
            return Err(self.syntax(colon, Syntax::ExpectingColon));
        }
        Ok((name, self.skip_whitespace(colon + 1)))
    }

    /// Anything but a container, in `scan_once_unicode`'s order of checks.
    fn scalar(&self, at: usize) -> Result<(Value, usize), JsonParseError> {
        let rest = self.bytes.get(at..).unwrap_or_default();
        let constant = |name: &'static str| Err(JsonParseError::NonFiniteConstant(name));
        match rest.first() {
            None => Err(self.syntax(at, Syntax::ExpectingValue)),
            Some(b'"') => {
                let (text, next) = self.string(at + 1)?;
                Ok((Value::String(text), next))
            }
            Some(b'n') if rest.starts_with(b"null") => Ok((Value::Null, at + 4)),
            Some(b't') if rest.starts_with(b"true") => Ok((Value::Bool(true), at + 4)),
            Some(b'f') if rest.starts_with(b"false") => Ok((Value::Bool(false), at + 5)),
            Some(b'N') if rest.starts_with(b"NaN") => constant("NaN"),
            Some(b'I') if rest.starts_with(b"Infinity") => constant("Infinity"),
            Some(b'-') if rest.starts_with(b"-Infinity") => constant("-Infinity"),
            Some(_) => self.number(at),
        }
    }

    /// `_match_number_unicode`, with its backtracking: `1.` and `1e` are the number `1`
    /// followed by extra data.
    fn number(&self, start: usize) -> Result<(Value, usize), JsonParseError> {
        let mut at = start;
        if self.byte(at) == Some(b'-') {
            at += 1;
        }
        match self.byte(at) {
            Some(b'1'..=b'9') => {
                at += 1;
                while self.is_digit(at) {
                    at += 1;
                }
            }
            Some(b'0') => at += 1,
            // StopIteration(start): "Expecting value" at the sign, if any.
            _ => return Err(self.syntax(start, Syntax::ExpectingValue)),
        }
        let mut is_float = false;
        if self.byte(at) == Some(b'.') && self.is_digit(at + 1) {
            is_float = true;
            at += 2;
            while self.is_digit(at) {
                at += 1;
            }
        }
        // CPython reads an exponent only when its `e` (and then its sign) is not the last
        // character, and gives it back when no digit follows.
        if matches!(self.byte(at), Some(b'e' | b'E')) && at + 1 < self.bytes.len() {
            let exponent = at;
            at += 1;
            if matches!(self.byte(at), Some(b'-' | b'+')) && at + 1 < self.bytes.len() {
                at += 1;
            }
            while self.is_digit(at) {
                at += 1;
            }
            if self.is_digit(at - 1) {
                is_float = true;
            } else {
                at = exponent;
            }
        }
        let literal = self.text.get(start..at).unwrap_or_default();
        let value = if is_float {
            float(literal)
        } else {
            integer(literal)?
        };
        Ok((value, at))
    }

    /// `scanstring_unicode` (strict): `start` is just after the opening quote; returns the
    /// string and the offset after its closing quote.
    fn string(&self, start: usize) -> Result<(String, usize), JsonParseError> {
        let opening_quote = start - 1;
        let mut text = String::new();
        let mut end = start;
        loop {
            let mut next = end;
            let stop = loop {
                match self.byte(next) {
                    None => return Err(self.syntax(opening_quote, Syntax::UnterminatedString)),
                    Some(stop @ (b'"' | b'\\')) => break stop,
                    Some(0x00..=0x1f) => {
                        return Err(self.syntax(next, Syntax::InvalidControlCharacter));
                    }
                    Some(_) => next += 1,
                }
            };
            text.push_str(self.text.get(end..next).unwrap_or_default());
            next += 1;
            if stop == b'"' {
                return Ok((text, next));
            }
            let Some(escape) = self.byte(next) else {
                return Err(self.syntax(opening_quote, Syntax::UnterminatedString));
            };
            if escape != b'u' {
                end = next + 1;
                text.push(match escape {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    _ => return Err(self.syntax(next - 1, Syntax::InvalidEscape)),
                });
                continue;
            }
            let u = next;
            end = u + 5;
            // CPython wants a character after the four digits (`end >= len` is an error), so
            // `"\u1234` without its closing quote is an invalid escape, not an unterminated
            // string. Byte and code-point offsets agree here: a non-ASCII character among the
            // four fails as a non-hex digit, with the same message at the same `u`.
            if end >= self.bytes.len() {
                return Err(self.syntax(u, Syntax::InvalidUnicodeEscape));
            }
            let Some(mut code) = self.hex4(u + 1) else {
                return Err(self.syntax(u, Syntax::InvalidUnicodeEscape));
            };
            // A high surrogate joins an immediately following `\u` low surrogate, only when a
            // character follows that escape (the same `end + 6 < len` test).
            if (0xD800..=0xDBFF).contains(&code)
                && end + 6 < self.bytes.len()
                && self.byte(end) == Some(b'\\')
                && self.byte(end + 1) == Some(b'u')
            {
                let Some(low) = self.hex4(end + 2) else {
                    return Err(self.syntax(end + 1, Syntax::InvalidUnicodeEscape));
                };
                if (0xDC00..=0xDFFF).contains(&low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    end += 6;
                }
            }
            // A lone surrogate is a valid Python str but no Rust char (module documentation).
            text.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }

    /// Four hex digits at `at`, either case.
    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        digits.iter().try_fold(0, |code, digit| {
            Some((code << 4) | char::from(*digit).to_digit(16)?)
        })
    }
}

/// Code points in a slice of UTF-8 that starts and ends at character boundaries.
fn code_points(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

/// `int(literal)`; outside `i64`/`u64` the nearest `f64` (module documentation).
fn integer(literal: &str) -> Result<Value, JsonParseError> {
    let digits = literal.strip_prefix('-').unwrap_or(literal).len();
    if digits > INT_MAX_STR_DIGITS {
        return Err(JsonParseError::IntegerTooLong { digits });
    }
    if let Ok(small) = literal.parse::<i64>() {
        return Ok(Value::Number(Number::from(small)));
    }
    if let Ok(large) = literal.parse::<u64>() {
        return Ok(Value::Number(Number::from(large)));
    }
    Ok(float(literal))
}

/// `float(literal)` (both round correctly); an infinity becomes ±`f64::MAX` (module
/// documentation).
fn float(literal: &str) -> Value {
    // The scanner only passes JSON number literals, which always parse.
    let parsed = literal.parse::<f64>().unwrap_or(f64::NAN);
    let finite = if parsed.is_infinite() {
        f64::MAX.copysign(parsed)
    } else {
        parsed
    };
    Number::from_f64(finite).map_or(Value::Null, Value::Number)
}
