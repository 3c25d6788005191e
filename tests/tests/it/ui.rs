//! Compile-time behaviour of the macros: every `fail` case must fail with exactly the error in
//! its `.stderr` (read them: they are the user's experience), every `pass` case must build and run.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/*/pass/*.rs");
    cases.compile_fail("ui/*/fail/*.rs");
}
