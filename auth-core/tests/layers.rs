//! The layering rule of `auth-core` (see `ARCHITECTURE.md`): every module imports only from its
//! own layer or a lower one, and no two files import each other, directly or through others.
//!
//! The test reads `src/` as text: every `use` path and every `crate::…`/`super::…` path in code
//! (comments and `#[cfg(test)]` modules left out) is resolved to the file that defines its
//! deepest module, and the file graph is checked. A failure names the file and the edge.

#![allow(clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layer of each top-level module. A module missing here fails the test: a new module
/// must say where it belongs.
const LAYERS: &[(&str, u8)] = &[
    // 0: leaves — errors, messages, the request view, the clock, Python's and Django's formats.
    ("error", 0),
    ("messages", 0),
    ("renderers", 0),
    ("char_field", 0),
    ("request", 0),
    ("response_effects", 0),
    ("clock", 0),
    ("date_time_field", 0),
    ("compat", 0),
    ("django", 0),
    ("knox", 0),
    ("jwt", 0),
    ("simplejwt", 0),
    ("oauth2", 0),
    ("dj_rest_auth", 0),
    ("templated_mail", 0),
    ("djoser", 0),
    ("link_template", 0),
    // 1: Django's tables.
    ("store", 1),
    // 2: the environment — settings as data, services, `request.user`, Django's account pieces.
    ("settings", 2),
    ("services", 2),
    ("environment", 2),
    ("jwt_revocation", 2),
    ("user", 2),
    ("accounts", 2),
    ("allauth", 2),
    ("session_store", 2),
    ("csrf_secret", 2),
    ("login", 2),
    ("permission_backend", 2),
    ("object_permission_backend", 2),
    ("model_backend", 2),
    // 3: DRF's three concerns.
    ("authentication", 3),
    ("permissions", 3),
    ("throttling", 3),
    // 4: DRF's view — the pipeline and what views use around it.
    ("policy", 4),
    ("negotiation", 4),
    ("metadata", 4),
    ("auth_token_serializer", 4),
    ("login_serializer", 4),
    ("simplejwt_serializers", 4),
    ("oauth2_provider", 4),
    ("operation_security", 4),
    ("checks", 4),
    // 5: the composition root.
    ("auth_settings", 5),
    ("settings_file", 5),
];

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/a/mod.rs` and `src/a.rs` are `[a]`, `src/lib.rs` is `[]`.
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root).expect("under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// The source without comments, string literals' contents and `#[cfg(test)]` items.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if text[i..].starts_with("//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if text[i..].starts_with("/*") {
            i += text[i..].find("*/").map_or(bytes.len() - i, |end| end + 2);
        } else if bytes[i] == b'\'' {
            // A char literal (`'"'`, `'\''`, `'\u{1f}'`) is skipped; a lifetime is kept.
            let rest = &text[i + 1..];
            let literal_len = if rest.starts_with('\\') {
                rest.get(2..)
                    .and_then(|tail| tail.find('\''))
                    .map(|end| end + 4)
            } else {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(ch), Some('\'')) => Some(ch.len_utf8() + 2),
                    _ => None,
                }
            };
            match literal_len {
                Some(len) => {
                    i += len;
                    out.push_str("' '");
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else if bytes[i] == b'"' {
            // A string literal (raw strings in this crate hold no `"` followed by a path).
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if text[i..].starts_with("#[cfg(test)]") {
            // Skip the attribute and the item it gates: up to its `;` or its closing brace.
            i += "#[cfg(test)]".len();
            let mut depth = 0usize;
            while i < bytes.len() {
                match bytes[i] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    b';' if depth == 0 => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
        } else {
            let ch = text[i..].chars().next().expect("a character");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The paths a `use` tree names: `a::{b, c::{d, self}}` → `a::b`, `a::c::d`, `a::c`.
fn expand_use_tree(tree: &str) -> Vec<Vec<String>> {
    // `a as b` keeps its `a`: the alias is marked, then spaces go.
    let tree = tree
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" as ", "@")
        .replace(' ', "");
    let mut out = Vec::new();
    expand_into(&tree, &mut Vec::new(), &mut out);
    out
}

fn expand_into(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let (head, group) = match tree.find('{') {
        Some(open) => (&tree[..open], Some(&tree[open + 1..tree.len() - 1])),
        None => (tree, None),
    };
    let segments: Vec<String> = head
        .split("::")
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.split('@').next().unwrap_or(segment).to_owned())
        .collect();
    let base = prefix.len();
    prefix.extend(segments);
    match group {
        None => out.push(prefix.clone()),
        Some(group) => {
            let mut depth = 0;
            let mut start = 0;
            let items: Vec<&str> = {
                let mut items = Vec::new();
                for (index, ch) in group.char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            items.push(&group[start..index]);
                            start = index + 1;
                        }
                        _ => {}
                    }
                }
                items.push(&group[start..]);
                items
            };
            for item in items.into_iter().filter(|item| !item.is_empty()) {
                if item == "self" || item.starts_with("self@") {
                    out.push(prefix.clone());
                } else {
                    expand_into(item, prefix, out);
                }
            }
        }
    }
    prefix.truncate(base);
}

/// The inline modules (`mod name { … }`) of a file: their byte ranges and names.
fn inline_modules(code: &str) -> Vec<(usize, usize, String)> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(at) = code[search..].find("mod ") {
        let start = search + at;
        search = start + 4;
        if start > 0 && is_ident_byte(bytes[start - 1]) {
            continue;
        }
        let name_end = search
            + code[search..]
                .bytes()
                .take_while(|&byte| is_ident_byte(byte))
                .count();
        let name = &code[search..name_end];
        let after = code[name_end..].trim_start();
        if name.is_empty() || !after.starts_with('{') {
            continue;
        }
        let open = code.len() - after.len();
        let mut depth = 0usize;
        let mut end = open;
        for (offset, byte) in bytes[open..].iter().enumerate() {
            match byte {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + offset;
                        break;
                    }
                }
                _ => {}
            }
        }
        found.push((open, end, name.to_owned()));
    }
    found
}

/// The module that the code at byte `at` is in: the file's, plus the inline modules around it.
fn module_at(module: &[String], inline: &[(usize, usize, String)], at: usize) -> Vec<String> {
    let mut path = module.to_vec();
    path.extend(
        inline
            .iter()
            .filter(|(start, end, _)| *start < at && at < *end)
            .map(|(_, _, name)| name.clone()),
    );
    path
}

/// One file's imports, as module paths relative to the crate root (unresolved to files).
fn imports(code: &str, module: &[String], krate: &Crate) -> Vec<Vec<String>> {
    let inline = inline_modules(code);
    let mut paths = Vec::new();
    // `use` statements, relative ones included.
    let mut offset = 0;
    while let Some(at) = code[offset..].find("use ") {
        let start = offset + at;
        offset = start + 4;
        if start > 0 && is_ident_byte(code.as_bytes()[start - 1]) {
            continue;
        }
        let Some(end) = code[offset..].find(';') else {
            break;
        };
        let tree = &code[offset..offset + end];
        let here = module_at(module, &inline, start);
        let children = krate.children_of(&here);
        for path in expand_use_tree(tree) {
            if let Some(resolved) = resolve(&path, &here, &children) {
                paths.push(resolved);
            }
        }
        offset += end;
    }
    // Paths in code: `crate::a::b`, `$crate::a::b`, `super::a`, and `child::item` from a
    // module to its own child.
    let children: Vec<String> = krate
        .children_of(module)
        .into_iter()
        .map(|child| format!("{child}::"))
        .collect();
    let prefixes = ["crate::".to_owned(), "super::".to_owned()]
        .into_iter()
        .chain(children);
    for prefix in prefixes {
        let prefix = prefix.as_str();
        let mut offset = 0;
        while let Some(at) = code[offset..].find(prefix) {
            let start = offset + at;
            let bytes = code.as_bytes();
            let mut end = start;
            while end < bytes.len() && (is_ident_byte(bytes[end]) || bytes[end] == b':') {
                end += 1;
            }
            offset = end;
            // `crate::a::{…}` is a `use` group, read with its statement above.
            let after_path = start > 0 && matches!(bytes[start - 1], b':' | b'.');
            if start > 0 && is_ident_byte(bytes[start - 1])
                || after_path
                || bytes.get(end) == Some(&b'{')
            {
                continue;
            }
            let segments: Vec<String> = code[start..end]
                .split("::")
                .filter(|segment| !segment.is_empty())
                .map(str::to_owned)
                .collect();
            let here = module_at(module, &inline, start);
            if let Some(resolved) = resolve(&segments, &here, &krate.children_of(&here)) {
                paths.push(resolved);
            }
        }
    }
    paths
}

/// A path as seen from `module`, made absolute; `None` for other crates and `std`.
fn resolve(path: &[String], module: &[String], children: &BTreeSet<String>) -> Option<Vec<String>> {
    let first = path.first()?;
    match first.as_str() {
        "crate" => Some(path[1..].to_vec()),
        "self" => Some(
            module
                .iter()
                .cloned()
                .chain(path[1..].iter().cloned())
                .collect(),
        ),
        "super" => {
            let mut base = module.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|segment| segment == "super") {
                base.pop();
                rest = &rest[1..];
            }
            Some(base.into_iter().chain(rest.iter().cloned()).collect())
        }
        name if children.contains(name) => {
            Some(module.iter().cloned().chain(path.iter().cloned()).collect())
        }
        _ => None,
    }
}

struct Crate {
    root: PathBuf,
    /// Module path → file.
    modules: BTreeMap<Vec<String>, PathBuf>,
}

impl Crate {
    fn read() -> Self {
        let root = source_root();
        let mut all = Vec::new();
        files(&root, &mut all);
        let modules = all
            .into_iter()
            .map(|file| (module_of(&root, &file), file))
            .collect();
        Self { root, modules }
    }

    /// The file defining the longest prefix of `path` that is a module.
    fn file_of(&self, path: &[String]) -> Option<&PathBuf> {
        (0..=path.len())
            .rev()
            .find_map(|length| self.modules.get(&path[..length]))
    }

    fn children_of(&self, module: &[String]) -> BTreeSet<String> {
        self.modules
            .keys()
            .filter(|candidate| {
                candidate.len() == module.len() + 1 && candidate.starts_with(module)
            })
            .map(|candidate| candidate[module.len()].clone())
            .collect()
    }

    fn name(&self, file: &Path) -> String {
        file.strip_prefix(&self.root)
            .expect("under src")
            .display()
            .to_string()
    }

    /// file → the files it imports.
    fn graph(&self) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
        let mut graph = BTreeMap::new();
        for (module, file) in &self.modules {
            let text = fs::read_to_string(file).expect("readable source");
            let code = code_of(&text);
            let targets: BTreeSet<PathBuf> = imports(&code, module, self)
                .iter()
                .filter_map(|path| self.file_of(path))
                .filter(|target| *target != file)
                .cloned()
                .collect();
            if std::env::var_os("LAYERS_DEBUG").is_some() {
                let names: Vec<String> = targets.iter().map(|target| self.name(target)).collect();
                eprintln!("{} -> {}", self.name(file), names.join(", "));
            }
            graph.insert(file.clone(), targets);
        }
        graph
    }
}

fn layer_of(krate: &Crate, file: &Path) -> Option<u8> {
    let module = module_of(&krate.root, file);
    let top = module.first()?;
    Some(
        LAYERS
            .iter()
            .find(|(name, _)| name == top)
            .unwrap_or_else(|| panic!("module `{top}` has no layer: add it to LAYERS"))
            .1,
    )
}

#[test]
fn every_import_points_down_the_layers() {
    let krate = Crate::read();
    let graph = krate.graph();
    let mut upward = Vec::new();
    for (file, targets) in &graph {
        let Some(from) = layer_of(&krate, file) else {
            continue; // lib.rs: the crate root declares and re-exports every layer.
        };
        for target in targets {
            if let Some(to) = layer_of(&krate, target)
                && to > from
            {
                upward.push(format!(
                    "{} (layer {from}) imports {} (layer {to})",
                    krate.name(file),
                    krate.name(target)
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports up a layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_files_import_each_other() {
    let krate = Crate::read();
    let graph = krate.graph();
    // Tarjan's strongly connected components.
    struct State<'a> {
        graph: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        on_stack: BTreeSet<&'a PathBuf>,
        next: usize,
        components: Vec<Vec<&'a PathBuf>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a PathBuf) {
        state.index.insert(node, state.next);
        state.low.insert(node, state.next);
        state.next += 1;
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for target in graph.get(node).into_iter().flatten() {
            if !state.index.contains_key(target) {
                visit(state, target);
                let low = state.low[node].min(state.low[target]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(target) {
                let low = state.low[node].min(state.index[target]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member);
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                state.components.push(component);
            }
        }
    }
    let mut state = State {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        components: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    let report: Vec<String> = state
        .components
        .iter()
        .map(|component| {
            let members: BTreeSet<&PathBuf> = component.iter().copied().collect();
            let edges: Vec<String> = component
                .iter()
                .flat_map(|file| {
                    graph[*file]
                        .iter()
                        .filter(|target| members.contains(target))
                        .map(|target| format!("  {} -> {}", krate.name(file), krate.name(target)))
                        .collect::<Vec<_>>()
                })
                .collect();
            edges.join("\n")
        })
        .collect();
    assert!(
        report.is_empty(),
        "files that import each other:\n{}",
        report.join("\n--\n")
    );
}

#[test]
fn the_scanner_sees_the_imports_it_must() {
    // A known edge of each kind, so the checks above cannot pass by reading nothing.
    let krate = Crate::read();
    let graph = krate.graph();
    let edge = |from: &str, to: &str| graph[&krate.root.join(from)].contains(&krate.root.join(to));
    assert!(edge("policy/pipeline.rs", "environment.rs"), "use crate::…");
    assert!(
        edge("authentication/basic.rs", "authentication/scheme.rs"),
        "use super::…"
    );
    assert!(
        edge("authentication/mod.rs", "authentication/basic.rs"),
        "pub use child::…"
    );
    assert!(
        edge("settings.rs", "django/http/cookie.rs"),
        "use crate::a::b::c::Item"
    );
    assert!(LAYERS.len() > 20);
}
