//! Editing a draft file in place: changes go into the file's own text through
//! `toml_edit`, so comments, key order and layout survive, every edit is
//! validated by reading the result back as a draft, and the file is replaced
//! atomically. Used to pin ids on commit and to record positions and statuses.
//!
//! ```
//! use treaty::edit::set_ids;
//! let src = "[plan]\ntitle = \"T\"\n\n# The first point.\n[[points]]\nnumber = \"1\" # kept\ntext = \"Hi.\"\n";
//! let out = set_ids(src, &[(0, "greeting".to_string())], "d.toml")?;
//! assert_eq!(out, "[plan]\ntitle = \"T\"\n\n# The first point.\n[[points]]\nid = \"greeting\"\nnumber = \"1\" # kept\ntext = \"Hi.\"\n");
//! # Ok::<(), treaty::Error>(())
//! ```

use std::path::Path;

use toml_edit::{DocumentMut, Item, Table, Value};

use crate::error::{Diagnostic, Error, Result};
use crate::plan::{derive_status, did_you_mean, Plan, Position, Status};

/// A point's table, as written: `[[points]]` or an inline table.
enum PointTable<'a> {
    Table(&'a mut Table),
    Inline(&'a mut toml_edit::InlineTable),
}

impl PointTable<'_> {
    fn like(&mut self) -> &mut dyn toml_edit::TableLike {
        match self {
            PointTable::Table(t) => *t,
            PointTable::Inline(t) => *t,
        }
    }

    /// Inserts `key` right after the first of `after` present (else at the
    /// end), so new keys land where a person would write them.
    fn insert_after(&mut self, key: &str, item: Item, after: &[&str]) {
        let table = self.like();
        table.insert(key, item);
        let Some(anchor) = after.iter().find(|k| table.contains_key(k)) else {
            return;
        };
        let mut order: Vec<String> = table
            .iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| k != key)
            .collect();
        let at = order
            .iter()
            .position(|k| k == anchor)
            .map_or(order.len(), |i| i + 1);
        order.insert(at, key.to_string());
        let rank = |k: &str| order.iter().position(|o| o == k).unwrap_or(usize::MAX);
        match self {
            PointTable::Table(t) => {
                t.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())))
            }
            PointTable::Inline(t) => {
                t.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())))
            }
        }
    }
}

/// The point table at `index` of `doc`'s `points`.
fn point_table(doc: &mut DocumentMut, index: usize) -> Option<PointTable<'_>> {
    match doc.get_mut("points")? {
        Item::ArrayOfTables(a) => a.get_mut(index).map(PointTable::Table),
        Item::Value(Value::Array(a)) => a
            .get_mut(index)
            .and_then(Value::as_inline_table_mut)
            .map(PointTable::Inline),
        _ => None,
    }
}

/// Finds a point by number or id, with a helpful error.
fn locate(plan: &Plan, file: &str, point: &str) -> Result<usize> {
    plan.find_point(point).ok_or_else(|| {
        let numbers: Vec<&str> = plan.points.iter().map(|p| p.number.as_str()).collect();
        Error::UnknownPoint {
            plan: file.to_string(),
            point: point.to_string(),
            hint: format!("its points are {}", numbers.join(", ")),
        }
    })
}

fn parse_doc(source: &str, file: &str) -> Result<DocumentMut> {
    source.parse::<DocumentMut>().map_err(|e| Error::Internal {
        message: format!("{file} parsed as a draft but not for editing: {e}"),
    })
}

/// What an edit did, for the message to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// The new file text.
    pub text: String,
    /// The point's number.
    pub number: String,
    /// The point's status after the edit.
    pub status: Status,
    /// An explicit `status` removed because the positions now decide.
    pub dropped_status: Option<Status>,
}

/// Records `party`'s `position` on a point (number or id) of the draft
/// `source`, optionally adding `note` to the point's notes.
pub fn set_position(
    source: &str,
    file: &str,
    point: &str,
    party: &str,
    position: Position,
    note: Option<&str>,
) -> Result<Edited> {
    let plan = Plan::parse(source, file)?;
    let index = locate(&plan, file, point)?;
    if !plan.parties.iter().any(|p| p == party) {
        let help = match did_you_mean(party, plan.parties.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if plan.parties.is_empty() => {
                "the plan lists no parties: add them to `parties` in [plan]".to_string()
            }
            None => format!("the plan's parties are {}", plan.parties.join(", ")),
        };
        return Err(Error::refused(
            format!(
                "'{}' is not a party of the plan",
                crate::error::printable(party)
            ),
            help,
        ));
    }
    let old = &plan.points[index];
    let mut positions = old.positions.clone();
    match positions.iter_mut().find(|(p, _)| p == party) {
        Some((_, pos)) => *pos = position,
        None => positions.push((party.to_string(), position)),
    }
    let derived = derive_status(&plan.parties, &positions);
    let mut doc = parse_doc(source, file)?;
    let mut point = point_table(&mut doc, index).ok_or_else(|| Error::Internal {
        message: format!("{file}: point {} not found for editing", old.number),
    })?;
    match point.like().get_mut("positions") {
        Some(Item::Value(Value::InlineTable(t))) => inline_set(t, party, position.as_str()),
        Some(Item::Table(t)) => {
            t.insert(party, toml_edit::value(position.as_str()));
        }
        _ => {
            let mut t = toml_edit::InlineTable::new();
            t.insert(party, position.as_str().into());
            point.insert_after(
                "positions",
                Item::Value(Value::InlineTable(t)),
                &["status", "text"],
            );
        }
    }
    // The positions now decide the status; a stale explicit one goes.
    let mut dropped_status = None;
    if let (Some(given), Some(derived)) = (old.explicit_status, derived) {
        if given != derived {
            point.like().remove("status");
            dropped_status = Some(given);
        }
    }
    if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
        let line = format!("{party}: {note}");
        let notes = match &old.notes {
            Some(n) if !n.is_empty() => format!("{n}\n{line}"),
            _ => line,
        };
        set_string(point.like(), "notes", &notes);
    }
    finish(doc, file, index, dropped_status)
}

/// Sets a point's status (for plans that record no positions).
pub fn set_status(source: &str, file: &str, point: &str, status: Status) -> Result<Edited> {
    let plan = Plan::parse(source, file)?;
    let index = locate(&plan, file, point)?;
    let old = &plan.points[index];
    if let Some(derived) = derive_status(&plan.parties, &old.positions) {
        if derived != status {
            return Err(Error::refused(
                format!(
                    "point {} has positions, which make it {derived}; its status follows them",
                    old.number
                ),
                "record the parties' positions with `treaty position` instead",
            ));
        }
    }
    if status == Status::Agreed && old.brackets() > 0 {
        return Err(Error::refused(
            format!(
                "point {} still holds {} open {}; an agreed text has none",
                old.number,
                old.brackets(),
                if old.brackets() == 1 {
                    "bracket"
                } else {
                    "brackets"
                }
            ),
            "resolve the bracketed language in its text first",
        ));
    }
    let mut doc = parse_doc(source, file)?;
    let mut point = point_table(&mut doc, index).ok_or_else(|| Error::Internal {
        message: format!("{file}: point {} not found for editing", old.number),
    })?;
    match point.like().get_mut("status") {
        Some(item) => {
            let decor = item.as_value().map(|v| v.decor().clone());
            let mut v = Value::from(status.as_str());
            if let Some(d) = decor {
                *v.decor_mut() = d;
            }
            *item = Item::Value(v);
        }
        None => point.insert_after("status", toml_edit::value(status.as_str()), &["text"]),
    }
    finish(doc, file, index, None)
}

/// Sets `key` in an inline table; a new key goes last, taking over the space
/// before the closing brace so the table keeps its look.
fn inline_set(t: &mut toml_edit::InlineTable, key: &str, value: &str) {
    if let Some(v) = t.get_mut(key) {
        let decor = v.decor().clone();
        *v = Value::from(value);
        *v.decor_mut() = decor;
        return;
    }
    let trailing = t.iter_mut().last().and_then(|(_, v)| {
        let suffix = v
            .decor()
            .suffix()
            .and_then(|s| s.as_str())
            .map(str::to_string);
        v.decor_mut().set_suffix("");
        suffix
    });
    let mut v = Value::from(value);
    v.decor_mut().set_prefix(" ");
    v.decor_mut()
        .set_suffix(trailing.unwrap_or_else(|| " ".to_string()));
    t.insert(key, v);
}

/// Sets a string key, keeping the decoration of an existing value.
fn set_string(table: &mut dyn toml_edit::TableLike, key: &str, value: &str) {
    match table.get_mut(key) {
        Some(item) => {
            let decor = item.as_value().map(|v| v.decor().clone());
            let mut v = Value::from(value);
            if let Some(d) = decor {
                *v.decor_mut() = d;
            }
            *item = Item::Value(v);
        }
        None => {
            table.insert(key, toml_edit::value(value));
        }
    }
}

fn finish(
    doc: DocumentMut,
    file: &str,
    index: usize,
    dropped_status: Option<Status>,
) -> Result<Edited> {
    let text = doc.to_string();
    let plan = Plan::parse(&text, file)?;
    let point = &plan.points[index];
    Ok(Edited {
        number: point.number.clone(),
        status: point.status,
        text,
        dropped_status,
    })
}

/// Writes `text` to `path` atomically: a temporary file in the same folder,
/// then a rename, so a reader sees the old file or the new one, never half.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |source| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".treaty-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

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

    const DRAFT: &str = "# Working draft\n[plan]\ntitle = \"T\"\nparties = [\"US\", \"Russia\"]\n\n[[points]]\nnumber = \"1\"   # first\ntext = \"Sovereignty.\"\nnotes = \"n\"\n\n[[points]]\nid = \"znpp\"\nnumber = \"2\"\ntext = \"The plant.\"\nstatus = \"open\"\npositions = { US = \"accept\" }\n";

    #[test]
    fn position_is_added_after_text_keeping_comments() {
        let e = set_position(DRAFT, "d.toml", "1", "US", Position::Accept, None).unwrap();
        assert!(e.text.starts_with("# Working draft\n"));
        assert!(e.text.contains("number = \"1\"   # first\ntext = \"Sovereignty.\"\npositions = { US = \"accept\" }\nnotes"), "{}", e.text);
        assert_eq!(e.status, Status::Open);
    }

    #[test]
    fn position_by_id_updates_inline_table_and_drops_stale_status() {
        let e = set_position(
            DRAFT,
            "d.toml",
            "znpp",
            "Russia",
            Position::Reject,
            Some("wants its own operator"),
        )
        .unwrap();
        assert!(
            e.text
                .contains("positions = { US = \"accept\", Russia = \"reject\" }"),
            "{}",
            e.text
        );
        assert_eq!(e.status, Status::Disputed);
        assert_eq!(e.dropped_status, Some(Status::Open));
        assert!(e
            .text
            .contains("notes = \"Russia: wants its own operator\""));
    }

    #[test]
    fn unknown_party_and_point_are_refused() {
        assert!(
            matches!(set_position(DRAFT, "d.toml", "1", "Rusia", Position::Accept, None), Err(Error::Refused { help: Some(h), .. }) if h.contains("Russia"))
        );
        assert!(matches!(
            set_position(DRAFT, "d.toml", "9", "US", Position::Accept, None),
            Err(Error::UnknownPoint { .. })
        ));
    }

    #[test]
    fn status_is_set_in_place() {
        let e = set_status(DRAFT, "d.toml", "1", Status::Disputed).unwrap();
        assert!(
            e.text
                .contains("text = \"Sovereignty.\"\nstatus = \"disputed\"\nnotes"),
            "{}",
            e.text
        );
        assert!(set_status(DRAFT, "d.toml", "2", Status::Agreed).is_err());
    }

    #[test]
    fn agreed_with_brackets_is_refused() {
        let d = DRAFT.replace("Sovereignty.", "[Full] sovereignty.");
        assert!(set_status(&d, "d.toml", "1", Status::Agreed).is_err());
    }
}

#[cfg(test)]
mod pin_tests {
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
