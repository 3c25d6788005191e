"""Generates json_parser_vectors.json: what DRF's JSONParser really answers for tricky bodies.

Run with the parity virtualenv (Python 3.13, djangorestframework 3.18.3, see parity/setup.sh):

    parity/.venv/bin/python auth-core/tests/json_parser_vectors.py

Every body goes through `rest_framework.parsers.JSONParser().parse(io.BytesIO(body))`, the exact
code path of a request: `codecs.getreader('utf-8')` then `json.load` with DRF's `strict_constant`.
The Rust test `json_parser.rs` replays each vector against `auth_core::compat::python::json::loads::parse`.

A vector is one JSON object:

* `name`: what it checks; `body` (informational, short hand-written bodies only): the body
  decoded with `backslashreplace`.
* the body: `body_hex`, or `body_repeat` (`[[hex, count], ...]`, concatenated) for long ones.
* the outcome, one of:
  * `error`: the text DRF puts after `JSON parse error - ` (its `ParseError` detail);
  * `value`: the parsed data, tagged so that nothing is lost on the way to Rust:
    `["null"]`, `["bool", b]`, `["int", "digits"]`, `["float", repr]`, `["str", s]`,
    `["str_utf16", [code units]]` (a string holding lone surrogates, which JSON text cannot
    carry), `["list", [...]]`, `["dict", [[key, value], ...]]` (Python's dict order);
  * `nested_lists`: the value is that many nested lists, the innermost empty (too deep to tag);
  * `python_exception` + `error`: DRF did not turn the failure into a `ParseError` (a
    `RecursionError`: HTTP 500); `error` is the exception's text, which the Rust side reports.

The committed file holds the hand-written CASES, then 300 machine-made vectors (token soup, in
and out of strings, and byte mutations of valid documents; seed 0). `--fuzz N --seed S --out
PATH` writes N machine-made vectors only, for a larger differential run:
`JSON_PARSER_VECTORS=PATH cargo test -p auth-core --test json_parser`.
"""

import argparse
import io
import json
import random
import struct
import sys
from pathlib import Path

import django
from django.conf import settings

settings.configure()
django.setup()

import rest_framework  # noqa: E402
from rest_framework.exceptions import ParseError  # noqa: E402
from rest_framework.parsers import JSONParser  # noqa: E402

PREFIX = "JSON parse error - "
DEEP = 9998  # CPython 3.13's C recursion limit (10 000) minus the frames of a direct call
COMMITTED_FUZZ = 300  # machine-made vectors after the hand-written ones, seed 0


def tag(value):
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", str(value)]
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return ["str", value]
        except UnicodeEncodeError:
            units = value.encode("utf-16-le", "surrogatepass")
            return ["str_utf16", list(struct.unpack("<%dH" % (len(units) // 2), units))]
    if isinstance(value, list):
        return ["list", [tag(item) for item in value]]
    if isinstance(value, dict):
        return ["dict", [[tag(key), tag(item)] for key, item in value.items()]]
    raise TypeError(type(value))


def nested_list_depth(value):
    """`n` when value is n nested lists, the innermost empty (`[[[]]]` is 3); else None."""
    depth = 1
    while isinstance(value, list) and len(value) == 1:
        depth += 1
        value = value[0]
    return depth if value == [] else None


def outcome(body):
    try:
        value = JSONParser().parse(io.BytesIO(body))
    except ParseError as exc:
        detail = str(exc.detail)
        assert detail.startswith(PREFIX), detail
        return {"error": detail[len(PREFIX):]}
    except RecursionError as exc:
        return {"python_exception": "RecursionError", "error": str(exc)}
    depth = nested_list_depth(value)
    if depth is not None and depth > 100:
        return {"nested_lists": depth}
    return {"value": tag(value)}


def vector(name, body, repeat=None, readable=True):
    entry = {"name": name}
    if repeat is None:
        if readable and len(body) <= 80:
            entry["body"] = body.decode("utf-8", "backslashreplace")
        entry["body_hex"] = body.hex()
    else:
        entry["body_repeat"] = [[part.hex(), count] for part, count in repeat]
        body = b"".join(part * count for part, count in repeat)
    entry.update(outcome(body))
    return entry


# (name, body) pairs, or (name, None, [(part, count), ...]) for long bodies.
CASES = [
    # Values DRF accepts.
    ("empty object", b"{}"),
    ("empty array", b"[]"),
    ("credentials", b'{"username":"john","password":"password"}'),
    ("non-ascii credentials", '{"username":"walterwhité","password":"pässwörd"}'.encode()),
    ("whitespace around and inside", b' \t\r\n{ "a" : 1 , "b" : [ 1 , 2 ] } \n '),
    ("trailing newline", b"[1,2,3]\n"),
    ("top-level string", b'"string"'),
    ("top-level int", b"123"),
    ("minus zero int", b"-0"),
    ("zero", b"0"),
    ("negative exponent float", b"-12.5e-3"),
    ("upper-case exponent with plus", b"1E+2"),
    ("one point zero", b"1.0"),
    ("one tenth", b"0.1"),
    ("1e16 (repr 1e+16)", b"1e16"),
    ("minus zero float", b"-0.0"),
    ("true", b"true"),
    ("false", b"false"),
    ("null", b"null"),
    ("duplicate key: last value wins, first position", b'{"a":1,"b":2,"a":3}'),
    ("nested values", b'{"a":[1,{"b":null,"c":[true,false]}],"d":"e"}'),
    ("i64 max", b"9223372036854775807"),
    ("i64 min", b"-9223372036854775808"),
    ("u64 max", b"18446744073709551615"),
    ("u64 max plus one (Python int, f64 here)", b"18446744073709551616"),
    ("below i64 min", b"-9223372036854775809"),
    ("int with 400 digits (beyond f64)", None, [(b"9", 400)]),
    ("int with 4300 digits: the limit", None, [(b"1", 4300)]),
    ("negative int with 4300 digits", None, [(b"-", 1), (b"7", 4300)]),
    ("float with 5000 digits is not limited", None, [(b"1", 5000), (b".5", 1)]),
    ("1e400 overflows to inf", b"1e400"),
    ("-1e400 overflows to -inf", b"-1e400"),
    ("1e-400 underflows to 0.0", b"1e-400"),
    ("largest finite float", b"1.7976931348623157e308"),
    ("smallest normal float", b"2.2250738585072014e-308"),
    ("smallest subnormal float", b"5e-324"),
    ("float needing correct rounding", b"0.30000000000000004"),
    ("huge exponent overflows to inf", b"1e99999999999999999999"),
    ("huge negative exponent underflows to 0.0", b"-1e-99999999999999999999"),
    ("escaped key", b'{"\\u0061":1}'),
    ("upper-case surrogate pair", b'"\\uD83D\\uDE00"'),
    ("lone high surrogate before a pair", b'"\\ud800\\ud800\\udc00"'),
    ("credentials with numbers", b'{"username":1e400,"password":12345678901234567890123}'),
    ("all simple escapes", b'"\\"\\\\\\/\\b\\f\\n\\r\\t"'),
    ("unicode escapes in both cases", b'"\\u00e9\\u00E9\\u0041"'),
    ("escaped NUL", b'"\\u0000"'),
    ("literal DEL is not a control character", b'"\x7f"'),
    ("literal multibyte characters", '"é€😀"'.encode()),
    ("surrogate pair escape", b'"\\ud83d\\ude00"'),
    ("lone high surrogate escape", b'"\\ud800"'),
    ("lone low surrogate escape", b'"\\udc00"'),
    ("high surrogate then non-surrogate escape", b'"\\ud83d\\u0041"'),
    ("high surrogate then text", b'"\\ud83dx"'),
    ("low then high surrogate escapes", b'"\\udc00\\ud800"'),
    ("lone surrogate in a key", b'{"\\ud800":1}'),
    ("BOM inside a string is kept", b'"\xef\xbb\xbf"'),
    ("nesting 200 deep (beyond serde_json's 128)", None, [(b"[", 200), (b"]", 200)]),
    # codecs.StreamReader decodes with final=False: an incomplete sequence at the very end is
    # kept for a next read that never comes, so it is silently dropped.
    ("truncated 3-byte sequence at the end is dropped", b'{"a":1}\xe2\x82'),
    ("truncated 4-byte sequence at the end is dropped", b"{}\xf0\x9f\x98"),
    ("truncated 2-byte sequence at the end is dropped", b"{}\xc3"),
    ("truncated ED 9F at the end is dropped", b"[1]\xed\x9f"),
    ("truncated F4 8F at the end is dropped", b"[1]\xf4\x8f"),
    ("ED A0 at the end is dropped (CPython's truncated-surrogate rule)", b'"x"\xed\xa0'),
    ("only a truncated sequence: nothing left", b"\xe2"),
    ("only ED A0: nothing left", b"\xed\xa0"),
    ("ED then a non-continuation byte at the end is an error", b"[1]\xed\xe2"),
    ("truncated ED 80 at the end is dropped", b"[1]\xed\x80"),
    ("3 of 4 bytes at the end are dropped", b"[1]\xf0\x90\x80"),
    ("E0 9F at the end is an error (overlong)", b"[1]\xe0\x9f"),
    ("truncated sequence inside an unterminated string", b'"abc\xe2'),
    ("truncated BOM: nothing left", b"\xef\xbb"),
    # Errors.
    ("empty body", b""),
    ("whitespace only", b"   "),
    ("newlines only", b"\n\n  "),
    ("{bad (spec vector)", b"{bad"),
    ("missing colon", b'{"a" 1}'),
    ("missing comma in object", b'{"a":1 "b":2}'),
    ("missing comma in array", b"[1 2]"),
    ("trailing comma in object", b'{"a":1,}'),
    ("trailing comma in array", b"[1,]"),
    ("trailing comma in array, whitespace", b"[1 , ]"),
    ("trailing comma in object, whitespace", b'{"a":1 ,\n }'),
    ("leading comma in array", b"[,1]"),
    ("comma in empty object", b"{,}"),
    ("missing value in object", b'{"a":}'),
    ("end after key", b'{"a"'),
    ("end after value in object", b'{"a":1'),
    ("end after value in array", b"[1"),
    ("open bracket only", b"["),
    ("open brace only", b"{"),
    ("end after comma in object", b'{"a":1,'),
    ("end after comma in array", b"[1,"),
    ("end after colon", b'{"a":'),
    ("array closed by brace", b"[1}"),
    ("object closed by bracket", b'{"a":1]'),
    ("unclosed array in object", b'{"a":[}'),
    ("non-string key", b"{1:2}"),
    ("single-quoted key", b"{'a':1}"),
    ("single-quoted string", b"'a'"),
    ("comment", b"// x"),
    ("unterminated string", b'"abc'),
    ("unterminated string in array", b'["abc'),
    ("unterminated string ending in a backslash", b'"abc\\'),
    ("literal newline in a string", b'"a\nb"'),
    ("literal tab in a string", b'"a\tb"'),
    ("literal 0x1f in a string", b'"\x1f"'),
    ("literal NUL in a string", b'"\x00"'),
    ("control character after multibyte characters", '"é😀\x01"'.encode()),
    ("invalid escape", b'"\\x"'),
    ("invalid escape \\a", b'"\\a"'),
    ("backslash before a multibyte character", '"\\é"'.encode()),
    ("short unicode escape", b'"\\u12"'),
    ("non-hex unicode escape", b'"\\u12g4"'),
    ("bare \\u", b'"\\u"'),
    ("unicode escape without closing quote", b'"\\u1234'),
    ("unicode escape then one character", b'"\\u1234x'),
    ("short escape after high surrogate", b'"\\ud800\\u12"'),
    ("non-hex escape after high surrogate", b'"\\ud800\\uzzzz"'),
    ("surrogate pair without closing quote", b'"\\ud800\\udc00'),
    ("multibyte character inside a unicode escape", '"\\u12é4"'.encode()),
    ("multibyte character in a second unicode escape", '"\\ud800\\u12é4"'.encode()),
    ("extra data after number", b"1 2"),
    ("multibyte character right after a number", "1é".encode()),
    ("space between sign and digits", b"- 1"),
    ("NUL after the document", b"[1,2]\x00"),
    ("extra data two lines down", b'"a" \n\n x'),
    ("extra data after object", b"{}x"),
    ("extra closing bracket", b"[]]"),
    ("extra closing brace", b'{"a":1}}'),
    ("two documents", b"{} {}"),
    ("BOM after the document", b"[1]\xef\xbb\xbf"),
    ("nul", b"nul"),
    ("tru", b"tru"),
    ("fals", b"fals"),
    ("nulL", b"nulL"),
    ("NaN", b"NaN"),
    ("Infinity", b"Infinity"),
    ("-Infinity", b"-Infinity"),
    ("NaN in array", b"[1,NaN]"),
    ("Infinity in object", b'{"a":Infinity}'),
    ("constant error comes before extra data", b"-Infinityx"),
    ("-NaN", b"-NaN"),
    ("Nan", b"Nan"),
    ("Infinit", b"Infinit"),
    ("NaN after a syntax error", b"[1 NaN]"),
    ("minus alone", b"-"),
    ("minus letter", b"-a"),
    ("double minus", b"--1"),
    ("plus", b"+1"),
    ("leading zero", b"01"),
    ("negative leading zeros", b"-00"),
    ("dot without fraction digits", b"1."),
    ("dot then exponent", b"1.e5"),
    ("leading dot", b".5"),
    ("exponent without digits", b"1e"),
    ("exponent sign without digits", b"1e+"),
    ("exponent sign then letter", b"1E-x"),
    ("fraction then bare exponent", b"1.5e"),
    ("int over the 4300-digit limit", None, [(b"1", 4301)]),
    ("negative int over the limit", None, [(b"-", 1), (b"1", 4301)]),
    ("int over the limit inside an array", None, [(b"[1e5, ", 1), (b"2", 5000), (b"]", 1)]),
    ("form feed is not JSON whitespace", b"\x0c1"),
    ("form feed after the document", b"1\x0c"),
    ("no-break space is not JSON whitespace", "\u00a01".encode()),
    ("ideographic space is not JSON whitespace", "[1,\u30002]".encode()),
    ("multibyte key, then trailing comma", '{"é":1,}'.encode()),
    ("emoji, then missing comma", '["😀" 1]'.encode()),
    ("lines: missing colon on line 3", b'{\n"a":1,\n"b" 2}'),
    ("CRLF lines count only LF", b'{\r\n"a" 1}'),
    ("lines: trailing comma on line 3", b"[\n\n1,\n]"),
    ("lines: multibyte characters on the error line", '{"a":"é",\n "ü" 1}'.encode()),
    ("lines: error at the start of a line", b"[1,\n}"),
    # UTF-8 decoding errors (codecs' UnicodeDecodeError is a ValueError: DRF reports it).
    ("invalid start byte 0xff", b"\xff"),
    ("invalid byte inside a string", b'{"a":"\xff"}'),
    ("overlong C0 80", b"\xc0\x80"),
    ("overlong C1 BF", b"[\xc1\xbf]"),
    ("lone continuation byte", b'"\x80"'),
    ("overlong E0 80 80", b"\xe0\x80\x80"),
    ("encoded surrogate ED A0 80", b'"\xed\xa0\x80"'),
    ("ED A0 then quote", b'"\xed\xa0"'),
    ("beyond U+10FFFF: F4 90", b"\xf4\x90\x80\x80"),
    ("F4 90 at the end", b"1 \xf4\x90"),
    ("E0 80 at the end", b"\xe0\x80"),
    ("F5 lead byte", b"\xf5"),
    ("F8 lead byte", b"[1,\xf8]"),
    ("3-byte sequence broken at its third byte", b"ab\xe2\x82\x28"),
    ("4-byte sequence broken at its fourth byte", b'"\xf0\x9f\x98\x28"'),
    ("2-byte sequence broken", b"ab\xe2\x28"),
    ("lead byte before ASCII", b'"\xc3"'),
    ("decode error wins over an earlier JSON error", b"{bad\xff"),
    ("multibyte characters before an invalid byte", '"é😀'.encode() + b'\xff"'),
    ("BOM", b"\xef\xbb\xbf{}"),
    ("BOM only", b"\xef\xbb\xbf"),
    ("BOM then an invalid byte: decoding fails first", b"\xef\xbb\xbf\xff"),
    ("BOM then whitespace", b"\xef\xbb\xbf \n"),
    # Nesting: CPython raises RecursionError (not a ValueError: DRF answers 500).
    ("nesting at the direct-call limit", None, [(b"[", DEEP), (b"]", DEEP)]),
    ("arrays one over the limit", None, [(b"[", DEEP + 1), (b"]", DEEP + 1)]),
    ("objects one over the limit", None, [(b'{"a":', DEEP + 1), (b"1", 1), (b"}", DEEP + 1)]),
    ("unclosed deep arrays", None, [(b"[", 20000)]),
    ("syntax error before the depth is reached", None, [(b"[", 5000), (b"}", 1), (b"[", 6000)]),
]

# Pieces of JSON text (valid UTF-8) and pieces of broken UTF-8 for the machine-made bodies.
TOKENS = [
    b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"u", b"d800", b"dbff", b"dc00", b"DFFF",
    b"0041", b"0", b"1", b"9", b"-", b".", b"e", b"E", b"+", b" ", b"\n", b"\r", b"\t", b"a",
    b"null", b"true", b"false", b"NaN", b"Infinity", b"-I", "é".encode(), "😀".encode(),
    "\u2028".encode(), b"\x01", b"\x1f", b"\x7f", b'"a"', b'"\\ud800"', b'"\\ud800\\udc00"',
    b"12345678901234567890", b"1e400", b'\\"', b"\\n", b"\\u", b"\\/", b"\\x", b"00",
]
BROKEN_UTF8 = [b"\xff", b"\xe2", b"\x82", b"\xed", b"\xa0", b"\xf0", b"\x9f", b"\xc0", b"\xef\xbb\xbf"]
# Starts that put the soup inside a string, an object or an array.
CONTEXTS = [b"", b"", b'"', b'["', b'{"k":"', b'{"', b"[1,", b"-", b'["x",\n']
SEEDS = [
    b'{"username":"john","password":"password"}',
    '{"a":[1,-2.5e3,"é\\u00e9",null,true],"b":{"c":"😀"}}'.encode(),
    b'[{"k":"\\ud83d\\ude00"},[],{},0.5]',
    b'"line\\nbreak \\"quoted\\" \\\\ slash"',
]


def token(rng):
    return rng.choice(BROKEN_UTF8) if rng.random() < 0.05 else rng.choice(TOKENS)


def fuzz_bodies(count, seed):
    rng = random.Random(seed)
    for _ in range(count):
        if rng.random() < 0.6:
            pieces = [token(rng) for _ in range(rng.randint(0, 14))]
            yield rng.choice(CONTEXTS) + b"".join(pieces)
        else:
            body = bytearray(rng.choice(SEEDS))
            for _ in range(rng.randint(1, 3)):
                position = rng.randrange(len(body) + 1)
                action = rng.randrange(3)
                if action == 0 and position < len(body):
                    del body[position]
                elif action == 1 and position < len(body):
                    body[position] = rng.randrange(256)
                else:
                    body[position:position] = token(rng)
            yield bytes(body)


def write(path, vectors):
    header = {
        "generated_by": "auth-core/tests/json_parser_vectors.py",
        "python": sys.version.split()[0],
        "djangorestframework": rest_framework.VERSION,
    }
    lines = [json.dumps(entry, ensure_ascii=False) for entry in vectors]
    text = json.dumps(header, ensure_ascii=False)[:-1]
    text += ', "vectors": [\n' + ",\n".join(lines) + "\n]}\n"
    Path(path).write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(Path(__file__).with_suffix(".json")))
    args = parser.parse_args()
    if args.fuzz:
        vectors = []
    else:
        vectors = [vector(name, body, *rest) for name, body, *rest in CASES]
        names = [entry["name"] for entry in vectors]
        assert len(names) == len(set(names)), "duplicate vector names"
    count = args.fuzz or COMMITTED_FUZZ
    bodies = fuzz_bodies(count, args.seed)
    vectors += [
        vector("fuzz %d/%d" % (args.seed, n), body, readable=False)
        for n, body in enumerate(bodies)
    ]
    write(args.out, vectors)
    print("%d vectors -> %s" % (len(vectors), args.out))


if __name__ == "__main__":
    main()
