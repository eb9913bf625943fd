//! Drafts: the model of one version of a plan, and reading it from TOML.
//!
//! [`Plan::parse`] reads a draft file and checks every rule of the format:
//! unknown keys, value types, required fields, unique numbers, ids and parties,
//! positions against parties, statuses against positions, balanced brackets. It
//! reports *every* problem in the file, each with its line and column, instead of
//! stopping at the first.
//!
//! ```
//! use treaty::plan::{Plan, Status};
//! let plan = Plan::parse(r#"
//! [plan]
//! title = "Example"
//! parties = ["A", "B"]
//!
//! [[points]]
//! number = "1"
//! text = "The parties confirm [the][a] ceasefire."
//! positions = { A = "accept", B = "reject" }
//! "#, "example.toml").unwrap();
//! assert_eq!(plan.points[0].status, Status::Disputed);
//! assert_eq!(plan.points[0].brackets(), 1);
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;
use toml_edit::{Item, TableLike, Value};

use crate::brackets;
use crate::error::{Diagnostic, Error, LineIndex, Result};

/// Where a point stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Agreed,
    Disputed,
    Open,
}

/// A party's position on a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    Accept,
    Reject,
    Reserve,
}

/// How a text reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    Official,
    Leaked,
    Reported,
    Working,
}

macro_rules! keyword_enum {
    ($ty:ident { $($variant:ident = $word:literal),* $(,)? }) => {
        impl $ty {
            /// Every value, in the order the format lists them.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];

            /// The word used in draft files and output.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),* }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> std::result::Result<Self, String> {
                match s {
                    $($word => Ok($ty::$variant),)*
                    _ => Err(format!(
                        "expected one of {}",
                        [$(concat!("`", $word, "`")),*].join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(Status { Agreed = "agreed", Disputed = "disputed", Open = "open" });
keyword_enum!(Position { Accept = "accept", Reject = "reject", Reserve = "reserve" });
keyword_enum!(Provenance {
    Official = "official",
    Leaked = "leaked",
    Reported = "reported",
    Working = "working",
});

/// One version of a plan: its parties, what this version is, and its points.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The plan's title.
    pub title: Option<String>,
    /// Who takes positions, in the order the draft lists them.
    pub parties: Vec<String>,
    /// What this version is.
    pub draft: DraftInfo,
    /// The points, in the order they stand in the file.
    pub points: Vec<Point>,
}

/// The `[draft]` table: describes this version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DraftInfo {
    pub label: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub source: Option<String>,
    pub provenance: Option<Provenance>,
}

/// One numbered point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub id: Option<String>,
    /// As displayed: "1", "21.a", "A.3".
    pub number: String,
    pub title: Option<String>,
    pub text: String,
    /// The status as derived from positions (or given, or `open`).
    pub status: Status,
    /// The status as written in the file, if any.
    pub explicit_status: Option<Status>,
    /// Positions in the order written.
    pub positions: Vec<(String, Position)>,
    pub notes: Option<String>,
}

impl Point {
    /// A point with this number and text and nothing else.
    pub fn new(number: impl Into<String>, text: impl Into<String>) -> Self {
        Point {
            id: None,
            number: number.into(),
            title: None,
            text: text.into(),
            status: Status::Open,
            explicit_status: None,
            positions: Vec::new(),
            notes: None,
        }
    }

    /// How many open brackets (choices) the text holds.
    pub fn brackets(&self) -> usize {
        brackets::count_open(&self.text)
    }

    /// The position of `party`, if recorded.
    pub fn position(&self, party: &str) -> Option<Position> {
        self.positions
            .iter()
            .find(|(p, _)| p == party)
            .map(|(_, pos)| *pos)
    }
}

/// Derives a point's status from its positions: `disputed` if any party
/// rejects, `agreed` if every party accepts, else `open`. `None` without
/// positions.
pub fn derive_status(parties: &[String], positions: &[(String, Position)]) -> Option<Status> {
    if positions.is_empty() {
        return None;
    }
    if positions.iter().any(|(_, p)| *p == Position::Reject) {
        return Some(Status::Disputed);
    }
    let accepting = accepting(positions);
    let all_accept = !parties.is_empty()
        && parties
            .iter()
            .all(|party| accepting.contains(party.as_str()));
    Some(if all_accept {
        Status::Agreed
    } else {
        Status::Open
    })
}

/// The largest draft file [`Plan::read`] accepts: 64 MiB, hundreds of times
/// the longest real treaty text, and small enough that validating it stays
/// within seconds and a bounded amount of memory.
pub const MAX_DRAFT_BYTES: u64 = 64 << 20;

/// The parties that accept, as a set: checking every party against every
/// position one by one is quadratic in a draft with thousands of parties.
fn accepting(positions: &[(String, Position)]) -> HashSet<&str> {
    positions
        .iter()
        .filter(|(_, pos)| *pos == Position::Accept)
        .map(|(p, _)| p.as_str())
        .collect()
}

/// `A, B, C` — or, for a long list, its first few names and how many more.
fn name_list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!(
            "{} and {} more",
            names[..SHOWN].join(", "),
            names.len() - SHOWN
        )
    }
}

/// Counts of a draft's points by status, and its open brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub points: usize,
    pub agreed: usize,
    pub disputed: usize,
    pub open: usize,
    pub brackets: usize,
}

impl Plan {
    /// Reads and validates the draft at `path`. A file larger than
    /// [`MAX_DRAFT_BYTES`] (or an endless one, such as `/dev/zero`) is refused
    /// after reading that much.
    pub fn read(path: &Path) -> Result<Plan> {
        use std::io::Read;
        let read_error = |source| Error::ReadFile {
            path: path.to_path_buf(),
            source,
        };
        let file = path.display().to_string();
        // A large draft is read a piece at a time by the fast reader: never
        // held whole in memory, which is most of the cost of reading it.
        let mut opened = std::fs::File::open(path).map_err(read_error)?;
        let size = opened.metadata().map_err(read_error)?;
        if size.is_file() && size.len() > crate::scan::PIECE as u64 {
            if let Some(plan) =
                crate::scan::read_from(&mut opened, size.len(), crate::scan::PIECE, MAX_DRAFT_BYTES)
                    .map_err(read_error)?
            {
                return Ok(plan);
            }
        }
        // Anything else is read whole, from the start.
        drop(opened);
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| {
                // Sized to the file: read in one go, never grown by doubling.
                let size = f.metadata().map_or(0, |m| m.len()).min(MAX_DRAFT_BYTES);
                bytes.reserve_exact(size as usize + 1);
                f.take(MAX_DRAFT_BYTES + 1).read_to_end(&mut bytes)
            })
            .map_err(read_error)?;
        if bytes.len() as u64 > MAX_DRAFT_BYTES {
            return Err(Error::InvalidDraft {
                file,
                diagnostics: vec![Diagnostic::whole_file(format!(
                    "the file is larger than {} MiB, far more than any draft",
                    MAX_DRAFT_BYTES >> 20
                ))
                .help("a draft is a text file of numbered points; check that this is the file you meant")],
            });
        }
        Plan::parse_bytes(&bytes, &file)
    }

    /// Validates raw bytes (checking UTF-8 first). `file` names the draft in
    /// error messages.
    pub fn parse_bytes(bytes: &[u8], file: &str) -> Result<Plan> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Plan::parse(text, file),
            Err(e) => {
                let valid = &bytes[..e.valid_up_to()];
                let prefix = String::from_utf8_lossy(valid);
                let line = prefix.matches('\n').count() + 1;
                let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
                let rest = &bytes[e.valid_up_to()..];
                let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                let shown = String::from_utf8_lossy(
                    &bytes[valid.len() - (prefix.len() - line_start).min(valid.len())
                        ..valid.len() + line_end],
                )
                .into_owned();
                let d = Diagnostic {
                    line,
                    column: prefix[line_start..].chars().count() + 1,
                    source_line: shown,
                    width: 1,
                    message: format!("invalid UTF-8 (byte 0x{:02x})", bytes[e.valid_up_to()]),
                    help: Some("save the file as UTF-8".into()),
                };
                Err(Error::InvalidDraft {
                    file: file.into(),
                    diagnostics: vec![d],
                })
            }
        }
    }

    /// Validates a draft's text. `file` names the draft in error messages.
    ///
    /// Drafts in the usual layout are read by a fast reader
    /// (`scan.rs`); anything else, and every invalid draft, by the full
    /// reader, which gives the diagnostics. Both give the same plan.
    pub fn parse(source: &str, file: &str) -> Result<Plan> {
        match crate::scan::read(source) {
            Some(plan) => Ok(plan),
            None => parse_full(source, file),
        }
    }
}

/// [`Plan::parse`] with the full reader only (`toml_edit`, every diagnostic).
pub(crate) fn parse_full(source: &str, file: &str) -> Result<Plan> {
    let mut reader = Reader {
        source,
        lines: None,
        parties: HashSet::new(),
        errors: Vec::new(),
        kept_bytes: 0,
        dropped: 0,
    };
    let plan = reader.read();
    if reader.error_count() == 0 {
        Ok(plan)
    } else {
        reader.errors.sort_by_key(|d| (d.line, d.column));
        if reader.dropped > 0 {
            reader.errors.push(Diagnostic::omitted(reader.dropped));
        }
        Err(Error::InvalidDraft {
            file: file.into(),
            diagnostics: reader.errors,
        })
    }
}

impl Plan {
    /// Counts of points by status, and open brackets.
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            points: self.points.len(),
            ..Counts::default()
        };
        for p in &self.points {
            match p.status {
                Status::Agreed => c.agreed += 1,
                Status::Disputed => c.disputed += 1,
                Status::Open => c.open += 1,
            }
            c.brackets += p.brackets();
        }
        c
    }

    /// The index of the point with this number, or else this id.
    pub fn find_point(&self, number_or_id: &str) -> Option<usize> {
        self.points
            .iter()
            .position(|p| p.number == number_or_id)
            .or_else(|| {
                self.points
                    .iter()
                    .position(|p| p.id.as_deref() == Some(number_or_id))
            })
    }

    /// Writes the draft as TOML in the canonical layout.
    pub fn to_toml(&self) -> String {
        let mut doc = toml_edit::DocumentMut::new();
        let mut plan = toml_edit::Table::new();
        if let Some(title) = &self.title {
            plan["title"] = toml_edit::value(title.as_str());
        }
        let mut parties = toml_edit::Array::new();
        for p in &self.parties {
            parties.push(p.as_str());
        }
        plan["parties"] = toml_edit::value(parties);
        doc["plan"] = Item::Table(plan);

        let d = &self.draft;
        if d.label.is_some() || d.date.is_some() || d.source.is_some() || d.provenance.is_some() {
            let mut draft = toml_edit::Table::new();
            if let Some(label) = &d.label {
                draft["label"] = toml_edit::value(label.as_str());
            }
            if let Some(date) = d
                .date
                .as_deref()
                .and_then(|s| s.parse::<toml_edit::Datetime>().ok())
            {
                draft["date"] = toml_edit::value(date);
            }
            if let Some(source) = &d.source {
                draft["source"] = toml_edit::value(source.as_str());
            }
            if let Some(p) = d.provenance {
                draft["provenance"] = toml_edit::value(p.as_str());
            }
            doc["draft"] = Item::Table(draft);
        }

        let mut points = toml_edit::ArrayOfTables::new();
        for p in &self.points {
            let mut t = toml_edit::Table::new();
            if let Some(id) = &p.id {
                t["id"] = toml_edit::value(id.as_str());
            }
            t["number"] = toml_edit::value(p.number.as_str());
            if let Some(title) = &p.title {
                t["title"] = toml_edit::value(title.as_str());
            }
            t["text"] = toml_edit::value(p.text.as_str());
            if let Some(s) = p.explicit_status {
                t["status"] = toml_edit::value(s.as_str());
            }
            if !p.positions.is_empty() {
                let mut inline = toml_edit::InlineTable::new();
                for (party, pos) in &p.positions {
                    inline.insert(party, pos.as_str().into());
                }
                t["positions"] = toml_edit::value(inline);
            }
            if let Some(notes) = &p.notes {
                t["notes"] = toml_edit::value(notes.as_str());
            }
            points.push(t);
        }
        doc["points"] = Item::ArrayOfTables(points);
        doc.to_string()
    }
}

/// Whether `s` is a valid id or label word: `[a-z0-9][a-z0-9_-]*` (labels also
/// allow `.`).
pub fn is_valid_id(s: &str) -> bool {
    is_word(s, "_-")
}

/// Whether `s` is a valid label: `[a-z0-9][a-z0-9._-]*`.
pub fn is_valid_label(s: &str) -> bool {
    is_word(s, "._-") && !s.contains("..") && !s.ends_with('.') && !s.ends_with(".lock")
}

fn is_word(s: &str, extra: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || extra.contains(c))
}

/// The candidate closest to `word`, if close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // A close candidate is within two characters of the word's length: this
    // spares comparing a 5 MB key with every allowed one.
    let len = word.chars().count();
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(len) <= 2)
        .map(|c| {
            let d = if c.to_lowercase() == lower {
                0
            } else {
                edit_distance(&lower, &c.to_lowercase())
            };
            (d, c)
        })
        .filter(|(d, c)| *d == 0 || (*d <= 2 && d * 3 <= c.chars().count()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

const ROOT_KEYS: &[&str] = &["plan", "draft", "points"];
const PLAN_KEYS: &[&str] = &["title", "parties"];
const DRAFT_KEYS: &[&str] = &["label", "date", "source", "provenance"];
const POINT_KEYS: &[&str] = &[
    "id",
    "number",
    "title",
    "text",
    "status",
    "positions",
    "notes",
];

/// How many errors of one file are reported in full; past it (or past
/// [`DIAGNOSTIC_BYTES`]), further errors are only counted. A hostile file
/// (200,000 broken points, or thousands of errors on one 10 MB line) can then
/// neither flood the terminal nor make `check` slow or memory-hungry, while an
/// ordinary draft always gets every error.
const MAX_DIAGNOSTICS: usize = 500;

/// How many bytes (of source lines, messages, hints) the diagnostics of one
/// file may hold.
const DIAGNOSTIC_BYTES: usize = 4 << 20;

/// Walks a parsed TOML document, collecting every problem.
struct Reader<'s> {
    source: &'s str,
    /// Built on first need, so a valid small draft never pays for it.
    lines: Option<LineIndex>,
    /// The plan's parties, for checking positions.
    parties: HashSet<String>,
    errors: Vec<Diagnostic>,
    /// Bytes held by `errors`.
    kept_bytes: usize,
    /// Errors found past [`MAX_DIAGNOSTICS`] or [`DIAGNOSTIC_BYTES`].
    dropped: usize,
}

impl Reader<'_> {
    fn error(
        &mut self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        if self.full() {
            self.dropped += 1;
            return;
        }
        let d = match span {
            Some(span) => {
                let lines = self
                    .lines
                    .get_or_insert_with(|| LineIndex::new(self.source));
                Diagnostic::at_indexed(self.source, lines, span, message)
            }
            None => Diagnostic::whole_file(message),
        };
        let help = help.into();
        self.kept_bytes += d.source_line.len() + d.message.len() + help.len() + 64;
        self.errors
            .push(if help.is_empty() { d } else { d.help(help) });
    }

    /// Whether further errors are only counted.
    fn full(&self) -> bool {
        self.errors.len() >= MAX_DIAGNOSTICS || self.kept_bytes > DIAGNOSTIC_BYTES
    }

    /// Errors found so far, shown or not.
    fn error_count(&self) -> usize {
        self.errors.len() + self.dropped
    }

    /// The 1-based line of byte `offset`.
    fn line_of(&mut self, offset: usize) -> usize {
        self.lines
            .get_or_insert_with(|| LineIndex::new(self.source))
            .locate(offset)
            .0
    }

    fn read(&mut self) -> Plan {
        let mut plan = Plan::default();
        if self.source.trim().is_empty() {
            self.error(None, "the file is empty", "a draft needs a [plan] table and at least one [[points]] entry; see `treaty check --help`");
            return plan;
        }
        if let Some(i) = self.source.find('\0') {
            self.error(
                Some(i..i + 1),
                "the file contains a NUL byte",
                "a draft is a UTF-8 text file; this looks like a binary file",
            );
            return plan;
        }
        let doc = match toml_edit::Document::parse(self.source) {
            Ok(doc) => doc,
            Err(e) => {
                let message = if e.message().contains("recursion") {
                    // toml_edit's guard against stack overflow (80 levels).
                    "TOML syntax error: nested too deeply (arrays, tables or dotted keys more than 80 levels deep)".to_string()
                } else {
                    format!("TOML syntax error: {}", e.message().trim_end())
                };
                let span = e
                    .span()
                    .or_else(|| locate_unplaced(self.source, e.message()));
                self.error(span, message, "fix the TOML syntax at the marked place (strings need quotes; tables are [name]; points are [[points]])");
                return plan;
            }
        };
        let root = doc.as_table();
        self.unknown_keys(
            root,
            ROOT_KEYS,
            "at the top level",
            "a draft has only [plan], [draft] and [[points]]",
        );

        let is_draft_like = root.contains_key("points") || root.contains_key("plan");
        if !is_draft_like {
            self.error(None, "this TOML file is not a draft: it has neither [plan] nor [[points]]", "a draft starts with [plan] (title, parties) and lists its points as [[points]] tables");
            return plan;
        }

        match root.get("plan") {
            None => self.error(
                None,
                "missing [plan] table",
                "add a [plan] table with `title` and `parties`",
            ),
            Some(item) => match item.as_table_like() {
                None => self.error(
                    item.span(),
                    format!("`plan` must be a table, not {}", type_name(item)),
                    "write it as a [plan] table",
                ),
                Some(t) => self.read_plan(t, &mut plan),
            },
        }
        if let Some(item) = root.get("draft") {
            match item.as_table_like() {
                None => self.error(
                    item.span(),
                    format!("`draft` must be a table, not {}", type_name(item)),
                    "write it as a [draft] table",
                ),
                Some(t) => self.read_draft(t, &mut plan.draft),
            }
        }
        match root.get("points") {
            None => self.error(
                None,
                "the draft has no points",
                "add at least one [[points]] table with `number` and `text`",
            ),
            Some(item) => self.read_points(item, &mut plan),
        }
        plan
    }

    fn unknown_keys(&mut self, table: &dyn TableLike, allowed: &[&str], place: &str, help: &str) {
        for (key, _) in table.iter() {
            if !allowed.contains(&key) {
                let span = table.key(key).and_then(|k| k.span());
                let help = match did_you_mean(key, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("{help}; allowed keys: {}", allowed.join(", ")),
                };
                self.error(
                    span,
                    format!("unknown key `{}` {place}", crate::error::printable(key)),
                    help,
                );
            }
        }
    }

    fn key_span(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
        table.key(key).and_then(|k| k.span())
    }

    /// A string value, or an error for any other type.
    fn string(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        what: &str,
    ) -> Option<(String, Option<Range<usize>>)> {
        let item = table.get(key)?;
        match item.as_str() {
            Some(s) => Some((s.to_string(), item.span())),
            None => {
                let help = match item.as_integer() {
                    Some(i) => format!("write it as a string: {key} = \"{i}\""),
                    None => format!("write it as a quoted string: {key} = \"…\""),
                };
                self.error(
                    item.span().or_else(|| Self::key_span(table, key)),
                    format!("{what} `{key}` must be a string, not {}", type_name(item)),
                    help,
                );
                None
            }
        }
    }

    fn read_plan(&mut self, t: &dyn TableLike, plan: &mut Plan) {
        self.unknown_keys(
            t,
            PLAN_KEYS,
            "in [plan]",
            "[plan] has `title` and `parties`",
        );
        if let Some((title, span)) = self.string(t, "title", "[plan]") {
            if title.trim().is_empty() {
                self.error(
                    span,
                    "the plan title is empty",
                    "give the plan a title, or remove the `title` line",
                );
            } else {
                plan.title = Some(title);
            }
        }
        let Some(item) = t.get("parties") else { return };
        let Some(array) = item.as_array() else {
            self.error(
                item.span(),
                format!(
                    "`parties` must be an array of strings, not {}",
                    type_name(item)
                ),
                "write it as parties = [\"A\", \"B\"]",
            );
            return;
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for v in array.iter() {
            let Some(name) = v.as_str() else {
                self.error(
                    v.span(),
                    format!("a party must be a string, not {}", value_type_name(v)),
                    "write each party as a quoted name",
                );
                continue;
            };
            if name.trim().is_empty() || name.trim() != name {
                self.error(
                    v.span(),
                    "a party name must not be empty or start or end with white space",
                    "write the party's name, e.g. \"Ukraine\"",
                );
                continue;
            }
            if let Some(first) = seen.get(name) {
                self.error(
                    v.span(),
                    format!("duplicate party `{name}`"),
                    format!(
                        "`{name}` is already listed (party {}); remove one",
                        first + 1
                    ),
                );
                continue;
            }
            seen.insert(name.to_string(), plan.parties.len());
            self.parties.insert(name.to_string());
            plan.parties.push(name.to_string());
        }
    }

    fn read_draft(&mut self, t: &dyn TableLike, draft: &mut DraftInfo) {
        self.unknown_keys(
            t,
            DRAFT_KEYS,
            "in [draft]",
            "[draft] has `label`, `date`, `source` and `provenance`",
        );
        if let Some((label, span)) = self.string(t, "label", "[draft]") {
            if is_valid_label(&label) {
                draft.label = Some(label);
            } else {
                self.error(span, format!("malformed label `{}`", crate::error::printable(&label)), "a label is lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. \"geneva\" or \"us-28\"");
            }
        }
        if let Some(item) = t.get("date") {
            match item.as_datetime() {
                Some(dt) if dt.date.is_some() && dt.time.is_none() => {
                    draft.date = dt.date.map(|d| d.to_string());
                }
                Some(_) => self.error(
                    item.span(),
                    "malformed date: `date` is a day, without a time",
                    "write the date alone, e.g. date = 2025-11-23",
                ),
                None => {
                    let help = match item.as_str() {
                        Some(s)
                            if s.parse::<toml_edit::Datetime>()
                                .is_ok_and(|d| d.date.is_some() && d.time.is_none()) =>
                        {
                            format!("write it without quotes: date = {s}")
                        }
                        _ => "write a TOML date, e.g. date = 2025-11-23".to_string(),
                    };
                    self.error(
                        item.span(),
                        format!(
                            "malformed date: `date` must be a TOML date (YYYY-MM-DD), not {}",
                            type_name(item)
                        ),
                        help,
                    );
                }
            }
        }
        if let Some((source, _)) = self.string(t, "source", "[draft]") {
            draft.source = Some(source);
        }
        if let Some((word, span)) = self.string(t, "provenance", "[draft]") {
            match word.parse() {
                Ok(p) => draft.provenance = Some(p),
                Err(expected) => self.error(
                    span,
                    format!("unknown provenance `{}`", crate::error::printable(&word)),
                    suggest(&word, Provenance::ALL.iter().map(|p| p.as_str()), &expected),
                ),
            }
        }
    }

    fn read_points(&mut self, item: &Item, plan: &mut Plan) {
        // Each point with the span to point at when something is missing: its
        // `[[points]]` header, or its inline table.
        let tables: Vec<(&dyn TableLike, Option<Range<usize>>)> = match item {
            Item::ArrayOfTables(a) => a.iter().map(|t| (t as &dyn TableLike, t.span())).collect(),
            Item::Value(Value::Array(a)) => {
                let mut out = Vec::new();
                for v in a.iter() {
                    match v.as_inline_table() {
                        Some(t) => out.push((t as &dyn TableLike, t.span())),
                        None => self.error(
                            v.span(),
                            format!("each point must be a table, not {}", value_type_name(v)),
                            "write points as [[points]] tables",
                        ),
                    }
                }
                out
            }
            other => {
                self.error(
                    other.span(),
                    format!(
                        "`points` must be an array of tables, not {}",
                        type_name(other)
                    ),
                    "write each point as a [[points]] table",
                );
                return;
            }
        };
        if tables.is_empty()
            && matches!(item, Item::ArrayOfTables(_) | Item::Value(_))
            && self.error_count() == 0
        {
            self.error(
                item.span(),
                "the draft has no points",
                "add at least one [[points]] table with `number` and `text`",
            );
        }
        let mut numbers: HashMap<String, (usize, usize)> = HashMap::new();
        let mut ids: HashMap<String, (usize, usize)> = HashMap::new();
        for (index, (t, header)) in tables.into_iter().enumerate() {
            for (key, seen) in [("number", &mut numbers), ("id", &mut ids)] {
                let Some(item) = t.get(key) else { continue };
                let Some(value) = item.as_str() else { continue };
                let line = item.span().map_or(0, |s| self.line_of(s.start));
                if let Some((first, first_line)) = seen.get(value) {
                    let help = if key == "id" {
                        format!("point {} (line {first_line}) already has this id; ids must be unique in a draft (remove the id to let `treaty commit` assign one)", first + 1)
                    } else {
                        format!("point {} (line {first_line}) already has this number; numbers must be unique in a draft", first + 1)
                    };
                    self.error(
                        item.span(),
                        format!("duplicate {key} \"{}\"", crate::error::printable(value)),
                        help,
                    );
                } else {
                    seen.insert(value.to_string(), (index, line));
                }
            }
            if let Some(point) = self.read_point(t, index, header, &plan.parties) {
                plan.points.push(point);
            }
        }
    }

    fn read_point(
        &mut self,
        t: &dyn TableLike,
        index: usize,
        header: Option<Range<usize>>,
        parties: &[String],
    ) -> Option<Point> {
        let which = format!("in point {}", index + 1);
        self.unknown_keys(
            t,
            POINT_KEYS,
            &which,
            "a point has id, number, title, text, status, positions and notes",
        );
        let before = self.error_count();

        let number = match self.string(t, "number", "point") {
            None if t.get("number").is_none() => {
                self.error(
                    header.clone(),
                    format!("point {} has no `number`", index + 1),
                    "add number = \"…\" (as displayed: \"1\", \"21.a\")",
                );
                None
            }
            None => None,
            Some((n, span)) if n.trim().is_empty() => {
                self.error(
                    span,
                    format!("point {} has an empty `number`", index + 1),
                    "write the number as displayed, e.g. number = \"7\"",
                );
                None
            }
            Some((n, span)) if n.trim() != n || n.contains(char::is_control) => {
                self.error(
                    span,
                    format!(
                        "number \"{}\" has white space around it or control characters",
                        crate::error::printable(&n)
                    ),
                    format!(
                        "write it as number = \"{}\"",
                        crate::error::printable(n.trim())
                    ),
                );
                None
            }
            Some((n, _)) => Some(n),
        };
        let text = match self.string(t, "text", "point") {
            None if t.get("text").is_none() => {
                self.error(
                    header.clone(),
                    format!("point {} has no `text`", index + 1),
                    "add text = \"…\" with the point's wording",
                );
                None
            }
            None => None,
            Some((s, span)) if s.trim().is_empty() => {
                self.error(
                    span,
                    format!("point {} has an empty `text`", index + 1),
                    "write the point's wording, or remove the point",
                );
                None
            }
            Some((s, span)) => {
                if let Err(e) = brackets::spans(&s) {
                    let at = span.as_ref().and_then(|span| {
                        locate_in_value(self.source, span.clone(), &s, e.offset())
                    });
                    self.error(
                        at.or(span),
                        format!("unbalanced brackets: {e}"),
                        match e {
                            brackets::BracketError::Unopened(_) => {
                                "remove this `]` or add the `[` that opens it"
                            }
                            brackets::BracketError::Unclosed(_) => {
                                "close the bracket with `]`, or remove it"
                            }
                        },
                    );
                }
                Some(s)
            }
        };
        let id = self.string(t, "id", "point").and_then(|(id, span)| {
            if is_valid_id(&id) {
                Some(id)
            } else {
                self.error(span, format!("malformed id `{}`", crate::error::printable(&id)), "an id is lower-case letters, digits, '_' and '-', starting with a letter or digit, e.g. \"sovereignty\" or \"p7\"");
                None
            }
        });
        let title = self.string(t, "title", "point").map(|(s, _)| s);
        let notes = self.string(t, "notes", "point").map(|(s, _)| s);
        let explicit_status = self
            .string(t, "status", "point")
            .and_then(|(word, span)| match word.parse::<Status>() {
                Ok(s) => Some((s, span)),
                Err(expected) => {
                    self.error(
                        span,
                        format!("unknown status `{}`", crate::error::printable(&word)),
                        suggest(&word, Status::ALL.iter().map(|s| s.as_str()), &expected),
                    );
                    None
                }
            });
        let positions = self.read_positions(t, parties);

        if self.error_count() > before {
            return None;
        }
        let (number, text) = (number?, text?);
        let derived = derive_status(parties, &positions);
        let status_span = t.get("status").and_then(|i| i.span());
        let status = match (explicit_status.as_ref().map(|(s, _)| *s), derived) {
            (Some(given), Some(derived)) if given != derived => {
                self.error(status_span.clone(), format!("status \"{given}\" contradicts the positions, which make this point {derived}"), format!("{}; remove `status` to let the positions decide, or correct the positions", explain_derivation(parties, &positions)));
                derived
            }
            (_, Some(derived)) => derived,
            (Some(given), None) => given,
            (None, None) => Status::Open,
        };
        if status == Status::Agreed && brackets::count_open(&text) > 0 {
            let span = status_span
                .or_else(|| t.get("positions").and_then(|i| i.span()))
                .or_else(|| t.get("text").and_then(|i| i.span()));
            self.error(span, format!("point \"{number}\" is agreed but its text still holds brackets"), "an agreed text has no open brackets: resolve the bracketed language, or mark the point disputed or open");
        }
        Some(Point {
            id,
            number,
            title,
            text,
            status,
            explicit_status: explicit_status.map(|(s, _)| s),
            positions,
            notes,
        })
    }

    fn read_positions(&mut self, t: &dyn TableLike, parties: &[String]) -> Vec<(String, Position)> {
        let Some(item) = t.get("positions") else {
            return Vec::new();
        };
        let Some(table) = item.as_table_like() else {
            self.error(
                item.span(),
                format!("`positions` must be a table, not {}", type_name(item)),
                "write positions = { Party = \"accept\" }",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (party, value) in table.iter() {
            let key_span = Self::key_span(table, party);
            if !self.parties.contains(party) {
                if self.full() {
                    // Spare the suggestion's cost: it would not be shown.
                    self.dropped += 1;
                    continue;
                }
                // A suggestion among thousands of parties costs too much and
                // helps little.
                let guess = (parties.len() <= 64)
                    .then(|| did_you_mean(party, parties.iter().map(String::as_str)))
                    .flatten();
                let help = match guess {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if parties.is_empty() => {
                        "[plan] lists no parties: add the party to `parties`".to_string()
                    }
                    None => format!(
                        "the plan's parties are {}; add the party to [plan] parties if it is new",
                        name_list(&parties.iter().map(String::as_str).collect::<Vec<_>>())
                    ),
                };
                self.error(
                    key_span,
                    format!(
                        "position for `{}`, which is not a party of the plan",
                        crate::error::printable(party)
                    ),
                    help,
                );
                continue;
            }
            let Some(word) = value.as_str() else {
                self.error(
                    value.span(),
                    format!("a position must be a string, not {}", type_name(value)),
                    "write one of \"accept\", \"reject\", \"reserve\"",
                );
                continue;
            };
            match word.parse::<Position>() {
                Ok(p) => out.push((party.to_string(), p)),
                Err(expected) => self.error(
                    value.span(),
                    format!("unknown position `{}`", crate::error::printable(word)),
                    suggest(word, Position::ALL.iter().map(|p| p.as_str()), &expected),
                ),
            }
        }
        out
    }
}

fn explain_derivation(parties: &[String], positions: &[(String, Position)]) -> String {
    if let Some((p, _)) = positions.iter().find(|(_, pos)| *pos == Position::Reject) {
        return format!("{p} rejects");
    }
    let accepting = accepting(positions);
    let missing: Vec<&str> = parties
        .iter()
        .map(String::as_str)
        .filter(|party| !accepting.contains(party))
        .collect();
    if missing.is_empty() {
        "every party accepts".into()
    } else {
        format!(
            "not every party accepts ({} {})",
            name_list(&missing),
            if missing.len() == 1 {
                "does not"
            } else {
                "do not"
            }
        )
    }
}

fn suggest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
    expected: &str,
) -> String {
    match did_you_mean(word, candidates) {
        Some(s) => format!("did you mean `{s}`? ({expected})"),
        None => expected.to_string(),
    }
}

/// The line at fault for a TOML error reported without a place (toml_edit
/// gives none for a key of more than 80 dotted parts): the first line that,
/// parsed alone, fails with the same message.
fn locate_unplaced(source: &str, message: &str) -> Option<Range<usize>> {
    let mut start = 0;
    for line in source.split_inclusive('\n') {
        if let Err(e) = toml_edit::Document::parse(line) {
            if e.message() == message {
                return Some(start..start + line.trim_end().len());
            }
        }
        start += line.len();
    }
    None
}

/// Maps byte offset `offset` in the decoded string value `value` to a span in
/// the source, when the value is written without escapes before that place.
fn locate_in_value(
    source: &str,
    span: Range<usize>,
    value: &str,
    offset: usize,
) -> Option<Range<usize>> {
    let raw = source.get(span.clone())?;
    let bracket = value[offset..].chars().next()?;
    // Unless a bracket is written as an escape (`\u005d`), the k-th bracket of
    // the decoded value is the k-th bracket of the raw text; with one, the
    // whole value is marked rather than the wrong bracket.
    let lower = raw.to_ascii_lowercase();
    if ["\\u005b", "\\u005d", "\\u0000005b", "\\u0000005d"]
        .iter()
        .any(|e| lower.contains(e))
    {
        return None;
    }
    let k = value[..offset].matches(bracket).count();
    let (rel, _) = raw.match_indices(bracket).nth(k)?;
    Some(span.start + rel..span.start + rel + 1)
}

fn type_name(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(v) => value_type_name(v),
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

fn value_type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date-time",
        Value::Array(_) => "an array",
        Value::InlineTable(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "[plan]\ntitle = \"T\"\nparties = [\"US\", \"Ukraine\"]\n\n";

    fn errors(src: &str) -> Vec<Diagnostic> {
        match Plan::parse(src, "t.toml") {
            Ok(p) => panic!("expected errors, parsed {p:?}"),
            Err(Error::InvalidDraft { diagnostics, .. }) => diagnostics,
            Err(e) => panic!("unexpected error {e}"),
        }
    }

    fn one_error(src: &str) -> Diagnostic {
        let e = errors(src);
        assert_eq!(e.len(), 1, "{e:#?}");
        e.into_iter().next().unwrap()
    }

    #[test]
    fn reads_a_full_draft() {
        let src = format!("{HEAD}[draft]\nlabel = \"geneva\"\ndate = 2025-11-23\nsource = \"s\"\nprovenance = \"reported\"\n\n[[points]]\nid = \"sov\"\nnumber = \"1\"\ntitle = \"Sovereignty\"\ntext = \"Confirmed.\"\npositions = {{ US = \"accept\", Ukraine = \"accept\" }}\nnotes = \"n\"\n");
        let plan = Plan::parse(&src, "t.toml").unwrap();
        assert_eq!(plan.draft.date.as_deref(), Some("2025-11-23"));
        assert_eq!(plan.draft.provenance, Some(Provenance::Reported));
        assert_eq!(plan.points[0].status, Status::Agreed);
        assert_eq!(plan.points[0].id.as_deref(), Some("sov"));
    }

    #[test]
    fn status_is_derived_from_positions() {
        let p = |pos: &[(&str, Position)]| {
            derive_status(
                &["A".into(), "B".into()],
                &pos.iter()
                    .map(|(a, b)| (a.to_string(), *b))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(p(&[]), None);
        assert_eq!(p(&[("A", Position::Accept)]), Some(Status::Open));
        assert_eq!(
            p(&[("A", Position::Accept), ("B", Position::Accept)]),
            Some(Status::Agreed)
        );
        assert_eq!(
            p(&[("A", Position::Accept), ("B", Position::Reject)]),
            Some(Status::Disputed)
        );
        assert_eq!(
            p(&[("A", Position::Reserve), ("B", Position::Accept)]),
            Some(Status::Open)
        );
    }

    #[test]
    fn unknown_key_has_did_you_mean_and_location() {
        let d = one_error(&format!(
            "{HEAD}[[points]]\nnumber = \"1\"\ntext = \"x\"\nstauts = \"agreed\"\n"
        ));
        assert_eq!((d.line, d.column), (8, 1));
        assert!(d.help.unwrap().contains("`status`"));
    }

    #[test]
    fn reports_every_error() {
        let e = errors(&format!("{HEAD}[[points]]\nnumber = \"1\"\ntext = \"\"\n\n[[points]]\nnumber = \"1\"\ntext = \"x\"\nstatus = \"agred\"\n"));
        assert_eq!(e.len(), 3, "{e:#?}");
    }

    #[test]
    fn missing_number_points_at_header() {
        let d = one_error(&format!("{HEAD}[[points]]\ntext = \"x\"\n"));
        assert_eq!(d.line, 5);
        assert!(d.message.contains("no `number`"));
    }

    #[test]
    fn duplicate_number_and_id() {
        let e = errors(&format!("{HEAD}[[points]]\nid = \"a\"\nnumber = \"1\"\ntext = \"x\"\n[[points]]\nid = \"a\"\nnumber = \"1\"\ntext = \"y\"\n"));
        assert_eq!(e.len(), 2);
        assert!(e.iter().any(|d| d.message.contains("duplicate number")));
        assert!(e.iter().any(|d| d.message.contains("duplicate id")));
    }

    #[test]
    fn party_typo_suggests() {
        let d = one_error(&format!("{HEAD}[[points]]\nnumber = \"1\"\ntext = \"x\"\npositions = {{ Ukrain = \"accept\" }}\n"));
        assert!(d.help.unwrap().contains("`Ukraine`"));
        assert_eq!(d.line, 8);
    }

    #[test]
    fn contradicting_status_is_an_error() {
        let d = one_error(&format!("{HEAD}[[points]]\nnumber = \"1\"\ntext = \"x\"\nstatus = \"agreed\"\npositions = {{ US = \"reject\" }}\n"));
        assert!(d.message.contains("contradicts"));
    }

    #[test]
    fn agreed_with_brackets_is_an_error_even_when_derived() {
        let d = one_error(&format!("{HEAD}[[points]]\nnumber = \"1\"\ntext = \"[x]\"\npositions = {{ US = \"accept\", Ukraine = \"accept\" }}\n"));
        assert!(d.message.contains("brackets"));
    }

    #[test]
    fn unbalanced_bracket_points_at_the_bracket() {
        let d = one_error(&format!(
            "{HEAD}[[points]]\nnumber = \"1\"\ntext = \"The line [shall be frozen\"\n"
        ));
        assert_eq!((d.line, d.column), (7, 18));
    }

    #[test]
    fn bracket_written_as_an_escape_is_not_mislocated() {
        // `\u005d` decodes to `]`: the error marked the `]` of `[x]` instead.
        let d = one_error(&format!(
            "{HEAD}[[points]]\nnumber = \"1\"\ntext = \"\\u005d [x]\"\n"
        ));
        assert!(d.message.contains("closes no"), "{d:#?}");
        assert_eq!((d.line, d.column, d.width), (7, 8, 12));
    }

    #[test]
    fn syntax_error_has_location() {
        let d = one_error("[plan\n");
        assert_eq!(d.line, 1);
        assert!(d.message.contains("TOML syntax"));
    }

    #[test]
    fn empty_and_foreign_files() {
        assert!(one_error("").message.contains("empty"));
        assert!(errors("[package]\nname = \"x\"\n")
            .iter()
            .any(|d| d.message.contains("not a draft")));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let mut bytes = format!("{HEAD}[[points]]\nnumber = \"1\"\ntext = \"").into_bytes();
        bytes.extend_from_slice(&[0xff, b'"', b'\n']);
        match Plan::parse_bytes(&bytes, "t.toml") {
            Err(Error::InvalidDraft { diagnostics, .. }) => {
                assert_eq!(diagnostics[0].line, 7);
                assert_eq!(diagnostics[0].column, 9);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wrong_types_and_values() {
        let e = errors("[plan]\ntitle = 3\nparties = [\"US\", \"US\"]\n[draft]\nlabel = \"Bad Label\"\ndate = \"23 Nov\"\nprovenance = \"rumour\"\n[[points]]\nid = \"Bad Id\"\nnumber = 1\ntext = \"x\"\npositions = { US = \"maybe\" }\n");
        let msgs: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(e.len(), 8, "{msgs:#?}");
    }

    #[test]
    fn round_trips_through_to_toml() {
        let src = format!("{HEAD}[draft]\nlabel = \"x\"\ndate = 2025-11-23\n[[points]]\nnumber = \"1\"\ntitle = \"A \\\"quoted\\\" title\"\ntext = \"Line one\\nline two [a][b]\"\nstatus = \"disputed\"\n");
        let plan = Plan::parse(&src, "t.toml").unwrap();
        let again = Plan::parse(&plan.to_toml(), "t2.toml").unwrap();
        assert_eq!(plan, again);
    }

    #[test]
    fn contradiction_hint_names_a_few_missing_parties_not_all() {
        let parties: Vec<String> = (0..20).map(|i| format!("\"P{i}\"")).collect();
        let d = one_error(&format!("[plan]\nparties = [{}]\n[[points]]\nnumber = \"1\"\ntext = \"x\"\nstatus = \"agreed\"\npositions = {{ P0 = \"reserve\" }}\n", parties.join(", ")));
        assert!(d.message.contains("contradicts"), "{d:#?}");
        assert!(d.help.unwrap().starts_with(
            "not every party accepts (P0, P1, P2, P3, P4, P5, P6, P7 and 12 more do not)"
        ),);
    }

    #[test]
    fn omitted_errors_are_counted_in_the_header() {
        let mut src = String::from("[plan]\n");
        for _ in 0..600 {
            src.push_str("[[points]]\nnumber = \"1\"\n");
        }
        let e = Plan::parse(&src, "t.toml").unwrap_err();
        let Error::InvalidDraft { diagnostics, .. } = &e else {
            panic!("{e}")
        };
        assert_eq!(diagnostics.len(), MAX_DIAGNOSTICS + 1);
        assert_eq!(
            diagnostics.iter().map(Diagnostic::count).sum::<usize>(),
            1199
        );
        assert!(e
            .to_string()
            .starts_with("t.toml is not a valid draft (1199 errors)"));
        assert!(e.to_string().ends_with("t.toml: … and 699 more errors not shown\n  = help: fix the errors above first, then check again"));
    }

    /// Every draft in `tests/fixtures/regressions/` (inputs that once broke
    /// something, or that a fuzzer found) reads without panicking, renders its
    /// errors, and round-trips through `to_toml` when valid.
    #[test]
    fn regression_fixtures_read_and_round_trip() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            seen += 1;
            match Plan::read(&path) {
                Ok(plan) => {
                    let again = Plan::parse(&plan.to_toml(), "again.toml").unwrap();
                    assert_eq!(plan, again, "{}", path.display());
                }
                Err(e) => assert!(!e.to_string().contains('\u{1b}')),
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn did_you_mean_is_conservative() {
        assert_eq!(
            did_you_mean("stauts", POINT_KEYS.iter().copied()),
            Some("status")
        );
        assert_eq!(did_you_mean("zzz", POINT_KEYS.iter().copied()), None);
        assert_eq!(did_you_mean("ukraine", ["Ukraine"]), Some("Ukraine"));
        assert_eq!(did_you_mean("C", ["A", "B"]), None);
        assert_eq!(did_you_mean("agred", ["agreed", "open"]), Some("agreed"));
        assert_eq!(did_you_mean(&"k".repeat(100_000), ["k"]), None);
    }
}

/// Property tests: any draft written by `to_toml` reads back as the same plan
/// (or as a clean error when it breaks a rule of the format), and no text makes
/// the reader panic. Fixed seed and case count, so CI runs are deterministic.
#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    fn config() -> Config {
        crate::proptest_config(256)
    }

    /// Pieces of text that stress the TOML writer and the bracket rules.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[A-Za-z0-9]{1,8}",
            2 => Just(" ".to_string()),
            1 => prop::sample::select(vec![
                "[", "]", "[shall][may]", "\"", "'", "'''", "\"\"\"", "\\", "\\n", "\n",
                "\r\n", "\r", "\t", "#", "=", "{", "}", ",", "\u{1b}[2J", "\u{0}", "\u{7f}",
                "\u{9b}", "\u{feff}", "\u{200f}", "é", "e\u{301}", "שָׁלוֹם", "السلام",
                "Запоріжжя", "800,000", "🕊", "\u{2028}",
            ])
            .prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(fragment(), 1..12).prop_map(|v| v.concat())
    }

    /// A name as drafts have them: no white space at either end, not empty.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => "[A-Z][a-z]{1,8}",
            1 => text(),
        ]
        .prop_map(|s| s.trim().to_string())
        .prop_filter("a name is not empty", |s| !s.is_empty())
    }

    fn position() -> impl Strategy<Value = Position> {
        prop::sample::select(Position::ALL.to_vec())
    }

    fn status() -> impl Strategy<Value = Option<Status>> {
        prop::option::of(prop::sample::select(Status::ALL.to_vec()))
    }

    /// One point's raw material: what the generator chose, before the rules of
    /// the format decide its status.
    type RawPoint = (
        Option<String>,
        String,
        Option<String>,
        String,
        Option<Status>,
        Vec<(usize, Position)>,
        Option<String>,
    );

    fn raw_point() -> impl Strategy<Value = RawPoint> {
        (
            prop::option::of("[a-z0-9][a-z0-9_-]{0,8}"),
            prop_oneof!["[0-9]{1,3}(\\.[a-z])?", name()]
                .prop_filter("a number has no control characters", |n| {
                    !n.contains(char::is_control)
                }),
            prop::option::of(text()),
            text(),
            status(),
            prop::collection::vec((0..4usize, position()), 0..4),
            prop::option::of(text()),
        )
    }

    fn raw_plan() -> impl Strategy<Value = (Option<String>, Vec<String>, DraftInfo, Vec<RawPoint>)>
    {
        let draft = (
            prop::option::of(
                "[a-z0-9][a-z0-9._-]{0,8}".prop_filter("a label", |l| is_valid_label(l)),
            ),
            prop::option::of((1000..9999u32, 1..=12u32, 1..=28u32)),
            prop::option::of(text()),
            prop::option::of(prop::sample::select(Provenance::ALL.to_vec())),
        )
            .prop_map(|(label, date, source, provenance)| DraftInfo {
                label,
                date: date.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
                source,
                provenance,
            });
        (
            prop::option::of(name()),
            prop::collection::vec(name(), 0..4),
            draft,
            prop::collection::vec(raw_point(), 1..6),
        )
    }

    /// Builds the plan the generator describes, as the reader must see it, and
    /// whether it keeps every rule (no unbalanced brackets, no status that
    /// contradicts the positions, no agreed point with open brackets).
    fn build(
        (title, parties, draft, raw): (Option<String>, Vec<String>, DraftInfo, Vec<RawPoint>),
    ) -> (Plan, bool) {
        let mut parties_seen = Vec::new();
        for p in parties {
            if !parties_seen.contains(&p) {
                parties_seen.push(p);
            }
        }
        let parties = parties_seen;
        let mut valid = true;
        let mut points = Vec::new();
        for (i, (id, number, title, text, explicit, positions, notes)) in
            raw.into_iter().enumerate()
        {
            // Unique numbers and ids.
            let number = format!("{number}~{i}");
            let id = id.map(|id| format!("{id}-{i}"));
            let mut pos: Vec<(String, Position)> = Vec::new();
            for (k, p) in positions {
                if let Some(party) = parties.get(k) {
                    if !pos.iter().any(|(q, _)| q == party) {
                        pos.push((party.clone(), p));
                    }
                }
            }
            let derived = derive_status(&parties, &pos);
            let status = match (explicit, derived) {
                (Some(given), Some(derived)) => {
                    valid &= given == derived;
                    derived
                }
                (_, Some(derived)) => derived,
                (Some(given), None) => given,
                (None, None) => Status::Open,
            };
            valid &= !text.trim().is_empty() && brackets::spans(&text).is_ok();
            valid &= !(status == Status::Agreed && brackets::count_open(&text) > 0);
            points.push(Point {
                id,
                number,
                title,
                text,
                status,
                explicit_status: explicit,
                positions: pos,
                notes,
            });
        }
        let title = title.filter(|t| !t.trim().is_empty());
        (
            Plan {
                title,
                parties,
                draft,
                points,
            },
            valid,
        )
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn to_toml_reads_back_as_the_same_plan(raw in raw_plan()) {
            let (plan, valid) = build(raw);
            let toml = plan.to_toml();
            match Plan::parse(&toml, "p.toml") {
                Ok(again) => {
                    prop_assert!(valid, "a draft breaking a rule was accepted:\n{toml}");
                    prop_assert_eq!(again, plan, "\n{}", toml);
                }
                Err(Error::InvalidDraft { diagnostics, .. }) => {
                    prop_assert!(!valid, "a valid draft was refused:\n{toml}\n{diagnostics:#?}");
                    for d in &diagnostics {
                        prop_assert!(d.line > 0 && d.column > 0, "{d:#?}");
                        prop_assert!(
                            ["brackets", "contradicts", "empty `text`"]
                                .iter()
                                .any(|w| d.message.contains(w)),
                            "unexpected error {d:#?} for\n{toml}"
                        );
                    }
                }
                Err(e) => prop_assert!(false, "unexpected error {e}"),
            }
        }

        #[test]
        fn arbitrary_text_never_panics(src in prop_oneof![
            any::<String>(),
            prop::collection::vec(prop_oneof![
                3 => fragment(),
                1 => prop::sample::select(vec![
                    "[plan]\n", "[draft]\n", "[[points]]\n", "title = ", "parties = [",
                    "number = ", "text = ", "status = ", "positions = { ", "id = ",
                    "label = ", "date = 2025-11-23\n", "provenance = ", "notes = ",
                    "\"agreed\"", "\"accept\"", "\"reject\"", "\"1\"\n",
                ]).prop_map(str::to_string),
            ], 0..40).prop_map(|v| v.concat()),
        ]) {
            if let Err(Error::InvalidDraft { diagnostics, .. }) = Plan::parse(&src, "x.toml") {
                for d in &diagnostics {
                    let _ = d.render("x.toml");
                }
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = Plan::parse_bytes(&bytes, "x.toml").map_err(|e| e.to_string());
        }
    }
}
