//! The `use auth_actix::…` hint for a library name that the handler's file never imports.
//!
//! rustc (1.95) answers an unimported name in a policy list with "cannot find type … in this
//! scope" and no import suggestion: it does not suggest items of dependencies. A proc macro
//! cannot see name resolution, so the hint rests on the one thing it can read, the call site's
//! source file: a name of this library that appears in that file only on attribute lines (no
//! `use` of it, no definition, no other mention) and a file without glob imports cannot be in
//! scope. Then the macro reports that, with the `use` line to add, and names the type by its
//! full path so that rustc has nothing more to report. Anything less certain (an inline module,
//! a multi-line attribute, a glob, a mention in a comment) leaves the name to rustc.

use crate::keywords;

/// The source of the file the macro is expanding in, when the compiler can say which.
pub(crate) fn call_site_source() -> Option<String> {
    if !proc_macro::is_available() {
        return None;
    }
    let path = proc_macro::Span::call_site().local_file()?;
    std::fs::read_to_string(path).ok()
}

/// Whether `name` (one of this library's exported names) is surely not in scope in `source`.
pub(crate) fn surely_unimported(name: &str, source: &str) -> bool {
    if !keywords::LIBRARY_NAMES.contains(&name) {
        return false;
    }
    let mut lines = source.lines().map(str::trim);
    let globbed = source.lines().any(|line| {
        let line = line.trim();
        line.contains("use ")
            && (line.contains("::*") || line.contains("{*") || line.contains(" *"))
    });
    if globbed {
        return false;
    }
    !lines.any(|line| !line.starts_with("#[") && mentions(line, name))
}

/// Whether `line` has `name` as a whole identifier.
fn mentions(line: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(name).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

#[cfg(test)]
mod tests {
    use super::surely_unimported;

    const HANDLER: &str =
        "#[get(\"/\")]\n#[permission_classes(IsAuthenticated)]\nasync fn h() {}\n";

    #[test]
    fn only_a_name_seen_nowhere_but_in_attributes_is_unimported() {
        assert!(surely_unimported("IsAuthenticated", HANDLER));
        let imported = format!("use auth_actix::{{IsAuthenticated, Auth}};\n{HANDLER}");
        assert!(!surely_unimported("IsAuthenticated", &imported));
        let globbed = format!("use auth_actix::*;\n{HANDLER}");
        assert!(!surely_unimported("IsAuthenticated", &globbed));
        let own = format!("struct IsAuthenticated;\n{HANDLER}");
        assert!(!surely_unimported("IsAuthenticated", &own));
        assert!(
            !surely_unimported("IsWizard", "#[permission_classes(IsWizard)]"),
            "not this library's name: rustc's error stands"
        );
        let longer = format!("use x::IsAuthenticatedOrReadOnly;\n{HANDLER}");
        assert!(
            surely_unimported("IsAuthenticated", &longer),
            "whole names only"
        );
    }
}
