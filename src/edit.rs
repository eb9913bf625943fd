//! Editing a draft file in place: changes go into the file's own text through
//! `toml_edit`, so comments, key order and layout survive, and the file is
//! replaced atomically.
//!
//! ```
//! use treaty::edit::set_ids;
//! let src = "[plan]\ntitle = \"T\"\n\n# The first point.\n[[points]]\nnumber = \"1\" # kept\ntext = \"Hi.\"\n";
//! let out = set_ids(src, &[(0, "greeting".to_string())], "d.toml")?;
//! assert_eq!(out, "[plan]\ntitle = \"T\"\n\n# The first point.\n[[points]]\nid = \"greeting\"\nnumber = \"1\" # kept\ntext = \"Hi.\"\n");
//! # Ok::<(), treaty::Error>(())
//! ```

use std::io::Write;
use std::path::Path;

use toml_edit::{DocumentMut, Item, Value};

use crate::error::{Diagnostic, Error, Result};

/// Sets the `id` of the points at the given indices (positions among the
/// draft's points) in the draft text `source`, as the first key of each
/// point. An existing `id` is replaced where it stands. Everything else is
/// left as written. `file` names the draft in errors.
pub fn set_ids(source: &str, ids: &[(usize, String)], file: &str) -> Result<String> {
    let mut doc: DocumentMut =
        source
            .parse()
            .map_err(|e: toml_edit::TomlError| Error::InvalidDraft {
                file: file.to_string(),
                diagnostics: vec![match e.span() {
                    Some(span) => Diagnostic::at(source, span, e.message().to_string()),
                    None => Diagnostic::whole_file(e.message().to_string()),
                }],
            })?;
    for (index, id) in ids {
        if !crate::plan::is_valid_id(id) {
            return Err(Error::Internal {
                message: format!(
                    "refusing to write malformed id `{}`",
                    crate::error::printable(id)
                ),
            });
        }
        let missing = || Error::Internal {
            message: format!("{file} has no point number {} to give an id", index + 1),
        };
        match doc.get_mut("points").ok_or_else(missing)? {
            Item::ArrayOfTables(points) => {
                let table = points.get_mut(*index).ok_or_else(missing)?;
                set_table_id(table, id);
            }
            Item::Value(Value::Array(points)) => {
                let table = points
                    .get_mut(*index)
                    .and_then(Value::as_inline_table_mut)
                    .ok_or_else(missing)?;
                set_inline_id(table, id);
            }
            _ => return Err(missing()),
        }
    }
    Ok(doc.to_string())
}

fn set_table_id(table: &mut toml_edit::Table, id: &str) {
    if let Some(item) = table.get_mut("id") {
        let decor = item.as_value().map(|v| v.decor().clone());
        *item = toml_edit::value(id);
        if let (Some(decor), Some(v)) = (decor, item.as_value_mut()) {
            *v.decor_mut() = decor;
        }
        return;
    }
    // The comment lines above the first key describe the point: they move
    // above the new first key.
    let first = table.iter().next().map(|(k, _)| k.to_string());
    let prefix = first.as_deref().and_then(|k| {
        let mut key = table.key_mut(k)?;
        let decor = key.leaf_decor_mut();
        let prefix = decor.prefix().cloned();
        decor.set_prefix("");
        prefix
    });
    table.insert("id", toml_edit::value(id));
    table.sort_values_by(|a, _, b, _| (a.get() != "id").cmp(&(b.get() != "id")));
    if let (Some(prefix), Some(mut key)) = (prefix, table.key_mut("id")) {
        key.leaf_decor_mut().set_prefix(prefix);
    }
}

fn set_inline_id(table: &mut toml_edit::InlineTable, id: &str) {
    if let Some(v) = table.get_mut("id") {
        let decor = v.decor().clone();
        *v = Value::from(id);
        *v.decor_mut() = decor;
        return;
    }
    // Rebuild with `id` first, keeping every other key and value as written.
    let entries: Vec<(toml_edit::Key, Value)> = table
        .iter()
        .filter_map(|(k, _)| table.get_key_value(k))
        .filter_map(|(k, item)| item.as_value().map(|v| (k.clone(), v.clone())))
        .collect();
    table.clear();
    let mut value = Value::from(id);
    value.decor_mut().set_prefix(" ");
    table.insert("id", value);
    for (k, v) in entries {
        table.insert_formatted(&k, v);
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// folder, then a rename, so a reader never sees half a file.
pub fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let err = |source: std::io::Error| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(contents.as_bytes()).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the file's permissions.
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Gives every point of the draft at `path` that lacks an id the id
/// [`crate::align::pin_ids`] finds against `previous`, rewriting the file in
/// place (atomically, comments and layout kept). Returns how many points got
/// an id; writes nothing when none needed one.
pub fn pin_ids_in_file(path: &Path, previous: &crate::plan::Plan) -> Result<usize> {
    let shown = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|source| Error::ReadFile {
        path: path.to_path_buf(),
        source,
    })?;
    let current = crate::plan::Plan::parse(&source, &shown)?;
    let ids: Vec<(usize, String)> = crate::align::pin_ids(previous, &current)
        .into_iter()
        .enumerate()
        .filter_map(|(i, id)| id.map(|id| (i, id)))
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let text = set_ids(&source, &ids, &shown)?;
    // What we write must read back as the same draft with the new ids.
    let again = crate::plan::Plan::parse(&text, &shown)?;
    if again.points.len() != current.points.len() {
        return Err(Error::Internal {
            message: format!("pinning ids in {shown} changed its points"),
        });
    }
    write_atomic(path, &text)?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;

    const DRAFT: &str = r#"# A plan with comments.
[plan]
title = "T"   # the title
parties = ["A"]

# Point one, the first.
[[points]]
number = "1"
text = "First."   # trailing comment

[[points]]
# inside comment
number = "2"
title = "Two"
text = """
Second,
on two lines."""
positions = { A = "accept" }
"#;

    #[test]
    fn sets_ids_first_and_keeps_everything_else() {
        let out = set_ids(DRAFT, &[(0, "one".into()), (1, "two".into())], "d.toml").unwrap();
        assert_eq!(
            out,
            r#"# A plan with comments.
[plan]
title = "T"   # the title
parties = ["A"]

# Point one, the first.
[[points]]
id = "one"
number = "1"
text = "First."   # trailing comment

[[points]]
# inside comment
id = "two"
number = "2"
title = "Two"
text = """
Second,
on two lines."""
positions = { A = "accept" }
"#
        );
        let plan = Plan::parse(&out, "d.toml").unwrap();
        assert_eq!(plan.points[1].id.as_deref(), Some("two"));
        assert_eq!(plan.points[1].text, "Second,\non two lines.");
    }

    #[test]
    fn only_the_named_points_change() {
        let out = set_ids(DRAFT, &[(1, "two".into())], "d.toml").unwrap();
        let plan = Plan::parse(&out, "d.toml").unwrap();
        assert_eq!(plan.points[0].id, None);
        assert_eq!(out.replace("id = \"two\"\n", ""), DRAFT);
    }

    #[test]
    fn replaces_an_existing_id_in_place() {
        let src = "[plan]\n[[points]]\nnumber = \"1\"\nid = \"old\" # note\ntext = \"x\"\n";
        let out = set_ids(src, &[(0, "new".into())], "d.toml").unwrap();
        assert_eq!(
            out,
            "[plan]\n[[points]]\nnumber = \"1\"\nid = \"new\" # note\ntext = \"x\"\n"
        );
    }

    #[test]
    fn inline_points_get_ids_too() {
        let src = "points = [\n  { number = \"1\", text = \"x\" },\n]\n[plan]\n";
        let out = set_ids(src, &[(0, "p1".into())], "d.toml").unwrap();
        let plan = Plan::parse(&out, "d.toml").unwrap();
        assert_eq!(plan.points[0].id.as_deref(), Some("p1"));
        assert!(
            out.contains("{ id = \"p1\", number = \"1\", text = \"x\" }"),
            "{out}"
        );
    }

    #[test]
    fn refuses_bad_input() {
        assert!(set_ids("[plan\n", &[(0, "a".into())], "d.toml").is_err());
        assert!(set_ids(DRAFT, &[(5, "a".into())], "d.toml").is_err());
        assert!(set_ids(DRAFT, &[(0, "Bad Id".into())], "d.toml").is_err());
    }

    #[test]
    fn pins_ids_in_a_file_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.toml");
        std::fs::write(&path, DRAFT).unwrap();
        let mut previous = Plan::parse(DRAFT, "p.toml").unwrap();
        previous.points[0].id = Some("first".into());
        assert_eq!(pin_ids_in_file(&path, &previous).unwrap(), 2);
        let plan = Plan::read(&path).unwrap();
        assert_eq!(plan.points[0].id.as_deref(), Some("first"));
        assert_eq!(plan.points[1].id.as_deref(), Some("two"));
        // Nothing left to pin: the file is not touched.
        let before = std::fs::read_to_string(&path).unwrap();
        assert_eq!(pin_ids_in_file(&path, &previous).unwrap(), 0);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
