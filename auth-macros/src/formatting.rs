//! DRF's `rest_framework.utils.formatting` as `get_view_name` and `get_view_description` use it
//! for a function view (`@api_view`), computed when the macro expands: the view's name from the
//! function's name, its description from its doc comment. Written out (not a regex crate) for
//! byte parity with DRF's exact steps, which are a few string passes.

/// `get_view_name` of a function view named `name`: `remove_trailing_string` of `View`, then of
/// `ViewSet`, then `camelcase_to_spaces` (a space before each capital that follows a lower-case
/// ASCII letter or precedes a non-capital, underscores to spaces, Python's `str.title()`).
pub(crate) fn view_name(name: &str) -> String {
    let name = remove_trailing_string(name, "View");
    let name = remove_trailing_string(name, "ViewSet");
    title(
        camelcase_to_spaces(name)
            .trim()
            .split('_')
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// `remove_trailing_string`: `content` without `trailing` at its end, unless it is all of it.
fn remove_trailing_string<'a>(content: &'a str, trailing: &str) -> &'a str {
    match content.strip_suffix(trailing) {
        Some(rest) if !rest.is_empty() => rest,
        _ => content,
    }
}

/// `re.sub('(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))', ' \\1', content)`.
fn camelcase_to_spaces(content: &str) -> String {
    let chars: Vec<char> = content.chars().collect();
    let mut out = String::with_capacity(content.len() + 4);
    for (index, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let after_lower = index > 0 && chars[index - 1].is_ascii_lowercase();
            let before_non_capital = chars
                .get(index + 1)
                .is_some_and(|next| !next.is_ascii_uppercase());
            if after_lower || before_non_capital {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

/// Python's `str.title()`: a cased character is upper-cased after an uncased one (or at the
/// start), lower-cased after a cased one. (`auth_core::compat::python::text::title` at run time;
/// this proc-macro crate runs at expansion and does not depend on the runtime crates.)
fn title(text: String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_cased = false;
    for c in text.chars() {
        let cased = c.is_lowercase() || c.is_uppercase();
        if cased && previous_cased {
            out.extend(c.to_lowercase());
        } else if cased {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        previous_cased = cased;
    }
    out
}

/// `get_view_description` of a function whose doc comment is `lines` (the `#[doc]` strings, one
/// per `///` line): the docstring they form, through DRF's `dedent` — the smallest indent of the
/// non-blank lines after the first removed from every line (spaces, else tabs), then `strip()`.
pub(crate) fn view_description(lines: &[String]) -> String {
    let content = lines.join("\n");
    let rest: Vec<&str> = content
        .lines()
        .skip(1)
        .filter(|line| !line.trim_start().is_empty())
        .collect();
    let indent = |unit: char| {
        rest.iter()
            .map(|line| line.len() - line.trim_start_matches(unit).len())
            .min()
            .unwrap_or(0)
    };
    let (spaces, tabs) = (indent(' '), indent('\t'));
    let prefix = if spaces > 0 {
        " ".repeat(spaces)
    } else if tabs > 0 {
        "\t".repeat(tabs)
    } else {
        String::new()
    };
    let dedented: Vec<&str> = content
        .split('\n')
        .map(|line| line.strip_prefix(prefix.as_str()).unwrap_or(line))
        .collect();
    dedented.join("\n").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_drf_names_function_views() {
        // DRF 3.18 `@api_view` on functions of these names (`OPTIONS` → `"name"`).
        assert_eq!(view_name("list_articles_v2"), "List Articles V2");
        assert_eq!(view_name("hello"), "Hello");
        assert_eq!(view_name("ArticleListView"), "Article List");
        assert_eq!(view_name("View"), "View");
        assert_eq!(view_name("HTTPThing"), "Http Thing");
        assert_eq!(view_name("get__me"), "Get  Me");
        assert_eq!(view_name("v2api"), "V2Api");
    }

    #[test]
    fn describes_as_drf_dedents_a_docstring() {
        let doc = |lines: &[&str]| {
            view_description(
                &lines
                    .iter()
                    .map(|line| (*line).to_owned())
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            doc(&[" Lists the articles.", "", " Second paragraph, indented."]),
            "Lists the articles.\n\nSecond paragraph, indented."
        );
        assert_eq!(doc(&[]), "");
        assert_eq!(
            doc(&[" One.", "   Two.", "  Three."]),
            "One.\n Two.\nThree."
        );
        assert_eq!(doc(&[" Only line. "]), "Only line.");
    }
}
