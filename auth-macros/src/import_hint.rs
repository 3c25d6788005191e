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

/// Whether `name` (one of this library's exported names) is surely not in scope in `source`:
/// the file names it in a policy attribute, nowhere else (no `use`, no definition, no other
/// mention, outside the attributes on the same line too), and has no glob import.
pub(crate) fn surely_unimported(name: &str, source: &str) -> bool {
    if !keywords::LIBRARY_NAMES.contains(&name) || has_glob(source) {
        return false;
    }
    let mut in_attribute = false;
    for line in source.lines() {
        let (inside, outside) = split_policy_attributes(line);
        if mentions(&outside, name) {
            return false;
        }
        in_attribute |= mentions(&inside, name);
    }
    // Not even in an attribute here: the handler's text is elsewhere (`include!`, a macro of
    // another file), and so may its imports be.
    in_attribute
}

/// Whether `source` has a glob import: `::*`, or a `*` after `{` or `,` (one in a grouped
/// `use`, however rustfmt wrapped it).
fn has_glob(source: &str) -> bool {
    if source.contains("::*") {
        return true;
    }
    let mut previous = ' ';
    for character in source.chars() {
        if character == '*' && matches!(previous, '{' | ',') {
            return true;
        }
        if !character.is_whitespace() {
            previous = character;
        }
    }
    false
}

/// `line` split into the text of its policy attributes (`#[permission_classes(…)]`, with any
/// path before the name) and the rest.
fn split_policy_attributes(line: &str) -> (String, String) {
    let mut inside = String::new();
    let mut outside = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("#[") {
        let (before, from) = rest.split_at(start);
        outside.push_str(before);
        let end = from.find(")]").map_or(from.len(), |end| end + 2);
        let (attribute, after) = from.split_at(end);
        let is_policy = keywords::POLICY_ATTRIBUTES
            .iter()
            .any(|(attribute_name, _)| attribute.contains(&format!("{attribute_name}(")));
        if is_policy {
            inside.push_str(attribute);
        } else {
            outside.push_str(attribute);
        }
        rest = after;
    }
    outside.push_str(rest);
    (inside, outside)
}

/// Whether `text` has `name` as a whole identifier.
fn mentions(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
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
