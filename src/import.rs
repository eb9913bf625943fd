//! Import: a draft as it is published — pasted from a news site, a PDF turned
//! into text, a markdown memo — becomes a [`Plan`].
//!
//! [`import`] reads the text line by line, in four passes:
//!
//! 1. *clean* each line: control characters, zero-width and bidi characters
//!    go, odd spaces become spaces, `> ` quote prefixes and markdown escapes
//!    (`1\.`, `\[`) are undone; a form feed marks a page break;
//! 2. *drop page furniture*: `Page 3 of 12`, `- 3 -`, bare page numbers, and
//!    header or footer lines repeated three times or more (digits aside);
//! 3. *rejoin* words hyphenated across a line break (`recon-` / `struction`);
//! 4. *read the structure*: numbered lines start points, lettered or roman
//!    lines under a point start sub-points (`21.a`, `21.ii`), everything else
//!    joins the point above it.
//!
//! Numbering is never changed: a skipped number is a warning, a repeated one an
//! error, each naming its line. The text is kept as written (brackets too);
//! the lines of one paragraph are joined with a space, separate paragraphs and
//! list items with `\n`.
//!
//! ```
//! use treaty::import::{import, ImportOptions};
//! let text = "Peace plan\n\n1. Ukraine's sovereignty will be confirmed.\n2. The line of contact [shall][may]\n   be frozen.\n";
//! let imported = import(text, &ImportOptions::default())?;
//! let plan = imported.plan;
//! assert_eq!(plan.title.as_deref(), Some("Peace plan"));
//! assert_eq!(plan.points[1].number, "2");
//! assert_eq!(plan.points[1].text, "The line of contact [shall][may] be frozen.");
//! assert!(imported.warnings.is_empty());
//! # Ok::<(), treaty::Error>(())
//! ```

use std::collections::{HashMap, HashSet};

use crate::brackets;
use crate::error::{printable, Diagnostic, Error, Result};
use crate::plan::{is_valid_label, DraftInfo, Plan, Point};

/// What to put around the imported points, and how to name the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// How the input is named in messages (a file name, or `<stdin>`).
    pub file: String,
    /// The plan title; by default the heading or first line before the first
    /// point.
    pub title: Option<String>,
    /// `[plan] parties`; empty by default.
    pub parties: Vec<String>,
    /// `[draft]`: label, date, source, provenance.
    pub draft: DraftInfo,
}

impl ImportOptions {
    /// Checks the options as a draft file would: label, date, title, parties.
    pub fn validate(&self) -> Result<()> {
        if let Some(title) = &self.title {
            if title.trim().is_empty() {
                return Err(Error::refused(
                    "the title is empty",
                    "give a title, e.g. --title \"Peace plan\", or leave --title out to take it from the text",
                ));
            }
        }
        let mut seen = HashSet::new();
        for party in &self.parties {
            if party.trim().is_empty() || party.trim() != party || party.contains(char::is_control)
            {
                return Err(Error::refused(
                    format!("invalid party name \"{}\"", printable(party)),
                    "a party is a name without white space around it, e.g. --party Ukraine",
                ));
            }
            if !seen.insert(party.as_str()) {
                return Err(Error::refused(
                    format!("party \"{}\" is given twice", printable(party)),
                    "name each party once",
                ));
            }
        }
        if let Some(label) = &self.draft.label {
            if !is_valid_label(label) {
                return Err(Error::refused(
                    format!("malformed label \"{}\"", printable(label)),
                    "a label is lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. geneva or us-28",
                ));
            }
        }
        if let Some(date) = &self.draft.date {
            if !is_valid_date(date) {
                return Err(Error::refused(
                    format!("malformed date \"{}\"", printable(date)),
                    "write the date as YYYY-MM-DD, e.g. 2025-11-23",
                ));
            }
        }
        Ok(())
    }

    fn file_name(&self) -> &str {
        if self.file.is_empty() {
            "<input>"
        } else {
            &self.file
        }
    }
}

/// Whether `s` is a calendar date `YYYY-MM-DD`, as a draft's `date` must be.
pub fn is_valid_date(s: &str) -> bool {
    s.len() == 10
        && s.parse::<toml_edit::Datetime>()
            .is_ok_and(|d| d.date.is_some() && d.time.is_none() && d.offset.is_none())
}

/// Something the import did that the user should look at; the draft is
/// written anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// 1-based line of the input (0: the text as a whole).
    pub line: usize,
    pub message: String,
}

impl ImportWarning {
    /// `file:line: message`.
    pub fn render(&self, file: &str) -> String {
        if self.line == 0 {
            format!("{file}: {}", self.message)
        } else {
            format!("{file}:{}: {}", self.line, self.message)
        }
    }
}

/// The result of an import: a draft that passes `treaty check`, and what to
/// look at.
#[derive(Debug, Clone)]
pub struct Imported {
    pub plan: Plan,
    /// In line order.
    pub warnings: Vec<ImportWarning>,
}

/// Reads a published draft (plain text or markdown) into a [`Plan`].
///
/// Fails with [`Error::ImportDraft`] (every problem, each with its line) when a
/// number is repeated, brackets do not balance, the text holds no numbered
/// point, or it is binary; with [`Error::Refused`] when the options are
/// invalid. The plan it returns always passes `Plan::parse(&plan.to_toml())`.
pub fn import(text: &str, options: &ImportOptions) -> Result<Imported> {
    options.validate()?;
    let file = options.file_name().to_string();
    let lines = read_lines(text);
    if let Some(line) = lines.iter().find(|l| l.raw.contains('\0')) {
        return Err(Error::ImportDraft {
            file,
            diagnostics: vec![diagnostic(
                line,
                "the text contains a NUL byte",
                Some("this looks like a binary file (a PDF or a word-processor file?); convert it to plain text first, e.g. with `pdftotext`"),
            )],
        });
    }
    let mut warnings = Vec::new();
    let (front_title, lines) = strip_front_matter(lines);
    let title_given = options.title.is_some() || front_title.is_some();
    let (lines, headers) = drop_page_furniture(lines, &mut warnings);
    let lines = join_hyphenated(lines);
    let parsed = Parser::new(&lines).run();
    warnings.extend(parsed.warnings);
    let mut errors = parsed.errors;

    let mut plan = Plan {
        title: None,
        parties: options.parties.clone(),
        draft: options.draft.clone(),
        points: Vec::new(),
    };
    let first_point_line = parsed.points.first().map(|p| lines[p.line].no);
    plan.title = match &options.title {
        Some(t) => Some(t.trim().to_string()),
        None => front_title
            .or_else(|| title_from_preamble(&lines, &parsed.preamble))
            .or_else(|| {
                headers
                    .iter()
                    .find(|(no, _)| first_point_line.is_none_or(|f| *no < f))
                    .map(|(_, t)| clean_title(t))
            })
            .filter(|t| !t.is_empty()),
    };
    warn_preamble(&lines, &parsed.preamble, title_given, &mut warnings);

    for pending in parsed.points {
        let has_subs = parsed.parents_with_subs.contains(&pending.number);
        let line = &lines[pending.line];
        let (title, text) = pending.finish();
        if text.is_empty() {
            let message = if has_subs {
                format!(
                    "point {} has no text of its own; only its sub-points were imported",
                    pending.number
                )
            } else {
                format!("point {} has no text; it was not imported", pending.number)
            };
            warnings.push(ImportWarning {
                line: line.no,
                message,
            });
            continue;
        }
        if let Err(e) = brackets::spans(&text) {
            errors.push(bracket_diagnostic(&lines, &pending, &text, &e));
            continue;
        }
        let mut point = Point::new(pending.number.clone(), text);
        point.title = title;
        plan.points.push(point);
    }
    if plan.points.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::whole_file("found no numbered points").help(
                "points start at the beginning of a line with a number: `1.`, `1)`, `(1)`, `Point 1:`, `Article 1`, `## 1. Title` or `**1.**`",
            ),
        );
    }
    if !errors.is_empty() {
        errors.sort_by_key(|d| (d.line, d.column));
        return Err(Error::ImportDraft {
            file,
            diagnostics: errors,
        });
    }
    warnings.sort_by_key(|w| w.line);
    // The contract: whatever import returns passes `treaty check`.
    if let Err(e) = Plan::parse(&plan.to_toml(), &file) {
        return Err(Error::Internal {
            message: format!("the imported draft does not pass its own check: {e}"),
        });
    }
    Ok(Imported { plan, warnings })
}

/// Reads raw bytes: UTF-8 (with a located error otherwise), then [`import`].
pub fn import_bytes(bytes: &[u8], options: &ImportOptions) -> Result<Imported> {
    let text = decode(bytes, options.file_name())?;
    import(text, options)
}

/// A received draft file, ready to be stored as `plans/<name>.toml`: a TOML
/// draft is returned as it is (validating it is the caller's job); anything
/// else is imported as plain text or markdown, with default options.
///
/// A file counts as TOML when its name ends in `.toml`, or when it parses as
/// TOML with a `[plan]` table or `[[points]]`.
pub fn draft_from_file(bytes: &[u8], file_name: &str) -> Result<(String, Vec<ImportWarning>)> {
    if file_name.to_ascii_lowercase().ends_with(".toml") {
        let text =
            std::str::from_utf8(bytes).map_err(|_| match Plan::parse_bytes(bytes, file_name) {
                Err(e) => e,
                Ok(_) => Error::Internal {
                    message: "invalid UTF-8 accepted".into(),
                },
            })?;
        return Ok((text.to_string(), Vec::new()));
    }
    let options = ImportOptions {
        file: file_name.to_string(),
        ..ImportOptions::default()
    };
    let text = decode(bytes, options.file_name())?;
    if looks_like_toml_draft(text) {
        return Ok((text.to_string(), Vec::new()));
    }
    let imported = import(text, &options)?;
    Ok((imported.plan.to_toml(), imported.warnings))
}

/// Whether `text` is TOML with a `[plan]` table or `[[points]]`.
pub fn looks_like_toml_draft(text: &str) -> bool {
    text.parse::<toml_edit::DocumentMut>()
        .is_ok_and(|doc| doc.contains_key("plan") || doc.contains_key("points"))
}

fn decode<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let prefix = String::from_utf8_lossy(valid);
        let line_no = prefix.matches('\n').count() + 1;
        let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
        let rest = &bytes[e.valid_up_to()..];
        let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let start = valid.len() - (prefix.len() - line_start).min(valid.len());
        let shown = String::from_utf8_lossy(&bytes[start..valid.len() + line_end]).into_owned();
        Error::ImportDraft {
            file: file.to_string(),
            diagnostics: vec![Diagnostic {
                line: line_no,
                column: prefix[line_start..].chars().count() + 1,
                source_line: shown,
                width: 1,
                message: format!(
                    "invalid UTF-8 (byte 0x{:02x}); the text is not imported",
                    bytes[e.valid_up_to()]
                ),
                help: Some("save the text as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8 in.txt > out.txt`)".into()),
            }],
        }
    })
}

// ---------------------------------------------------------------------------
// Pass 1: lines.

/// One line of the input, cleaned.
#[derive(Debug, Clone)]
struct Line {
    /// 1-based line number in the input.
    no: usize,
    /// As written, for diagnostics.
    raw: String,
    /// Cleaned and trimmed; runs of white space are one space.
    text: String,
    /// Leading white space, a tab counting 4.
    indent: usize,
    /// A page ended just before this line.
    page_break: bool,
}

/// Splits on `\n`, `\r\n` and `\r`, and cleans every line.
fn read_lines(text: &str) -> Vec<Line> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut raws = Vec::new();
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                raws.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                raws.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        raws.push(&text[start..]);
    }
    let mut out: Vec<Line> = Vec::with_capacity(raws.len());
    let mut break_pending = false;
    for (index, raw) in raws.into_iter().enumerate() {
        let mut line = clean_line(raw, index + 1);
        // pdftotext puts the form feed at the start of a page's first line;
        // other tools end a page's last line with it.
        if let Some(ff) = raw.find('\u{c}') {
            if raw[..ff].trim().is_empty() {
                line.page_break = true;
            } else {
                break_pending = true;
                out.push(line);
                continue;
            }
        }
        if break_pending {
            line.page_break = true;
            break_pending = false;
        }
        out.push(line);
    }
    out
}

fn clean_line(raw: &str, no: usize) -> Line {
    let mut s = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A terminal colour sequence (`ESC [ 1;31 m`), as pasted from a
            // terminal: all of it goes, not only the escape character.
            '\u{1b}' if chars.peek() == Some(&'[') => {
                chars.next();
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            '\t' => s.push_str("    "),
            '\u{a0}'
            | '\u{2000}'..='\u{200a}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{85}' => s.push(' '),
            '\u{200b}'..='\u{200f}'
            | '\u{2060}'
            | '\u{feff}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => {}
            c => s.push(c),
        }
    }
    // Quoted text (`> 1. …`, as pasted from an e-mail or a markdown quote).
    let mut body = s.as_str();
    let mut quoted = false;
    while let Some(rest) = body.trim_start().strip_prefix('>') {
        body = rest.strip_prefix(' ').unwrap_or(rest);
        quoted = true;
    }
    let indent = if quoted {
        body.chars().take_while(|c| *c == ' ').count()
    } else {
        s.chars().take_while(|c| *c == ' ').count()
    };
    let mut text = body.split_whitespace().collect::<Vec<_>>().join(" ");
    // A markdown hard line break.
    if text.ends_with('\\') && !text.ends_with("\\\\") {
        text.pop();
        text.truncate(text.trim_end().len());
    }
    Line {
        no,
        raw: raw.to_string(),
        text: unescape_markdown(&text),
        indent,
        page_break: false,
    }
}

/// `1\.` → `1.`, `\[` → `[`: markdown escapes, as converters write them.
fn unescape_markdown(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if "[]().*_#-+!>`|".contains(next) {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// A markdown memo's YAML front matter (`---` … `---` first in the text) is
/// metadata, not text: it goes, and its `title:` is kept for the plan.
fn strip_front_matter(lines: Vec<Line>) -> (Option<String>, Vec<Line>) {
    let Some(start) = lines.iter().position(|l| !l.text.is_empty()) else {
        return (None, lines);
    };
    if lines[start].text != "---" {
        return (None, lines);
    }
    let Some(end) = lines
        .iter()
        .skip(start + 1)
        .take(40)
        .position(|l| l.text == "---" || l.text == "...")
        .map(|i| start + 1 + i)
    else {
        return (None, lines);
    };
    let fields = &lines[start + 1..end];
    let yaml_like = fields.iter().all(|l| {
        l.text.is_empty()
            || l.text.contains(": ")
            || l.text.ends_with(':')
            || l.indent > 0
            || l.text.starts_with("- ")
    });
    if fields.is_empty() || !yaml_like {
        return (None, lines);
    }
    let title = fields.iter().find_map(|l| {
        let value = l.text.strip_prefix("title:")?.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value)
            .trim();
        (!value.is_empty()).then(|| value.to_string())
    });
    let rest = lines.into_iter().skip(end + 1).collect();
    (title, rest)
}

// ---------------------------------------------------------------------------
// Pass 2: page furniture.

/// Drops page numbers and repeated headers and footers; blank lines around a
/// page break go too, so that a paragraph cut by a page break is whole again.
/// Returns the lines left, and each dropped header (first line, text).
fn drop_page_furniture(
    lines: Vec<Line>,
    warnings: &mut Vec<ImportWarning>,
) -> (Vec<Line>, Vec<(usize, String)>) {
    let bare = bare_numbers_are_points(&lines);
    let mut furniture: Vec<bool> = lines
        .iter()
        .map(|l| is_page_number(&l.text) || (!bare && is_bare_number(&l.text)))
        .collect();

    // Header and footer lines: the same line repeated where pages meet. With
    // pages marked (form feeds, page numbers), a line repeated at two page
    // boundaries or more, digits aside (`Draft — page 3`); without, a short
    // line repeated as it is three times or more, far apart.
    let paged = lines.iter().any(|l| l.page_break) || furniture.iter().any(|f| *f);
    let mut counts: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        if furniture[i] || !matches!(classify(&l.text), Kind::Text) {
            continue;
        }
        if l.text.chars().filter(|c| c.is_alphabetic()).count() < 3 || l.text.chars().count() > 100
        {
            continue;
        }
        let key = if paged {
            header_key(&l.text)
        } else {
            l.text.clone()
        };
        counts.entry(key).or_default().push(i);
    }
    let mut candidate = vec![false; lines.len()];
    for at in counts.values().filter(|at| at.len() >= 2) {
        for &i in at {
            candidate[i] = true;
        }
    }
    let mut headers: Vec<(usize, String, usize)> = Vec::new();
    for at in counts.values() {
        let header = if paged {
            let at_boundary = at
                .iter()
                .filter(|&&i| at_page_boundary(&lines, &furniture, &candidate, i))
                .count();
            at.len() >= 2 && at_boundary * 3 >= at.len() * 2
        } else {
            let text = &lines[at[0]].text;
            at.len() >= 3
                && text.chars().count() <= 80
                && !text.ends_with(['.', ';', ':', ','])
                && at.windows(2).all(|w| w[1] - w[0] >= 5)
        };
        if header {
            for &i in at {
                furniture[i] = true;
            }
            headers.push((lines[at[0]].no, lines[at[0]].text.clone(), at.len()));
        }
    }
    headers.sort();
    for (no, text, n) in &headers {
        warnings.push(ImportWarning {
            line: *no,
            message: format!(
                "dropped \"{}\", repeated on {n} lines (a page header or footer)",
                printable(text)
            ),
        });
    }

    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut run: Vec<Line> = Vec::new();
    let mut run_breaks = false;
    for (i, line) in lines.into_iter().enumerate() {
        if furniture[i] || line.text.is_empty() {
            run_breaks |= furniture[i] || line.page_break;
            if !furniture[i] {
                run.push(line);
            }
            continue;
        }
        let mut line = line;
        if run_breaks || line.page_break {
            line.page_break = true;
            run.clear();
        } else {
            out.append(&mut run);
        }
        run_breaks = false;
        out.push(line);
    }
    if !run_breaks {
        out.append(&mut run);
    }
    let headers = headers.into_iter().map(|(no, t, _)| (no, t)).collect();
    (out, headers)
}

/// Whether line `i` is the first or last line of a page: next to a form feed
/// or a page number, or first in the text.
/// Whether line `i` stands where pages meet: between it and a page break, a
/// page number, or the start or end of the text, there are only blank lines
/// and other repeated lines (a header may be two lines).
fn at_page_boundary(lines: &[Line], furniture: &[bool], candidate: &[bool], i: usize) -> bool {
    if lines[i].page_break {
        return true;
    }
    // At most two other repeated lines in between: a header block is short.
    let mut others = 0;
    let mut skip = |j: usize| {
        if lines[j].text.is_empty() {
            return true;
        }
        others += 1;
        candidate[j] && others <= 2
    };
    let mut j = i;
    let before = loop {
        if j == 0 {
            break true;
        }
        j -= 1;
        if !skip(j) {
            break furniture[j] || lines[j].page_break;
        }
        if lines[j].page_break {
            break true;
        }
    };
    if before {
        return true;
    }
    others = 0;
    let mut skip = |j: usize| {
        if lines[j].text.is_empty() {
            return true;
        }
        others += 1;
        candidate[j] && others <= 2
    };
    for j in i + 1..lines.len() {
        if lines[j].page_break || furniture[j] {
            return true;
        }
        if !skip(j) {
            return false;
        }
    }
    true
}

/// A header line's identity: digits aside (`Draft — page 3` repeats as
/// `Draft — page #`), case and spacing aside.
fn header_key(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect::<String>()
        .to_lowercase()
}

/// `Page 3 of 12`, `page 3`, `Page 3/12`, `3 of 12`, `- 3 -`, `— 3 —`.
fn is_page_number(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    let num = |w: &str| !w.is_empty() && w.len() <= 4 && w.chars().all(|c| c.is_ascii_digit());
    let shape_ok = match words.as_slice() {
        ["page" | "p." | "pg." | "pag.", n] => num(n),
        ["page" | "p." | "pg.", n, "of", m] => num(n) && num(m),
        [n, "of", m] => num(n) && num(m),
        [n, m] => num(n) && num(m) && t.contains('/'),
        ["page" | "p.", n, m] => num(n) && num(m) && t.contains('/'),
        _ => false,
    };
    if shape_ok {
        return true;
    }
    // `- 3 -`, `– 3 –`, `— 3 —`, `[3]`.
    for (open, close) in [("-", "-"), ("–", "–"), ("—", "—"), ("[", "]")] {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            if num(inner.trim()) {
                return true;
            }
        }
    }
    false
}

fn is_bare_number(text: &str) -> bool {
    !text.is_empty() && text.len() <= 3 && text.chars().all(|c| c.is_ascii_digit())
}

/// Bare numbers on their own lines are page numbers, unless the text has no
/// other numbering at all and they count up from 1.
fn bare_numbers_are_points(lines: &[Line]) -> bool {
    let mut bare = Vec::new();
    for l in lines {
        if let Kind::Marker(m) = classify(&l.text) {
            if matches!(
                m.label,
                Label::Num(_) | Label::Roman(..) | Label::Inserted(..)
            ) {
                return false;
            }
        }
        if is_bare_number(&l.text) {
            bare.push(l.text.parse::<u32>().unwrap_or(0));
        }
    }
    bare.len() >= 2 && bare.first() == Some(&1) && bare.get(1) == Some(&2)
}

// ---------------------------------------------------------------------------
// Pass 3: hyphenation.

/// Rejoins a word hyphenated across a line break: the line ends with a hyphen
/// after a letter, and the next line goes on with a lower-case letter. The
/// hyphen is kept when the text writes the same compound with a hyphen
/// elsewhere (`self-` / `determination`).
fn join_hyphenated(lines: Vec<Line>) -> Vec<Line> {
    let compounds: HashSet<String> = lines
        .iter()
        .flat_map(|l| l.text.split(' '))
        .filter(|w| w.contains('-'))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last_mut() {
            if let Some(joined) = hyphen_join(&prev.text, &line.text, &compounds) {
                prev.text = joined;
                continue;
            }
        }
        out.push(line);
    }
    out
}

fn hyphen_join(prev: &str, next: &str, compounds: &HashSet<String>) -> Option<String> {
    let mut rev = prev.chars().rev();
    let hyphen = rev.next()?;
    let before = rev.next()?;
    if !matches!(hyphen, '-' | '\u{2010}' | '\u{ad}') || !before.is_alphabetic() {
        return None;
    }
    let first = next.chars().next()?;
    let soft = hyphen == '\u{ad}';
    if !(first.is_lowercase() || soft && first.is_alphabetic()) {
        return None;
    }
    if !matches!(classify(next), Kind::Text) {
        return None;
    }
    let stem = &prev[..prev.len() - hyphen.len_utf8()];
    let left: String = stem
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let right: String = next
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    if soft {
        return Some(format!("{stem}{next}"));
    }
    // `pre-` / `and post-war`: a suspended hyphen, not a broken word.
    if matches!(right.as_str(), "and" | "or" | "nor" | "to") {
        return Some(format!("{prev} {next}"));
    }
    if compounds.contains(&format!("{left}-{right}").to_lowercase()) {
        return Some(format!("{prev}{next}"));
    }
    Some(format!("{stem}{next}"))
}

// ---------------------------------------------------------------------------
// Pass 4: what each line is.

/// How a point is numbered in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Family {
    /// `1.` (also markdown ordered lists).
    Dot,
    /// `1)`.
    Paren,
    /// `(1)`.
    Parens,
    /// `Point 1:`.
    Point,
    /// `Article 1`.
    Article,
    /// `**1.**`, `**1**.`.
    Bold,
    /// `## 1. Title`.
    Heading,
    /// `1` alone on its line, in a text with no other numbering.
    Bare,
}

impl Family {
    /// Headings and bold numbers are never a line wrapped in mid-sentence.
    fn strong(self) -> bool {
        matches!(self, Family::Heading | Family::Bold)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Label {
    /// `7`.
    Num(u32),
    /// `IV` in `Article IV`: its value, and as written.
    Roman(u32, String),
    /// `7a`: a point inserted after 7 in a revised draft.
    Inserted(u32, char),
    /// `7.2`.
    Sub(u32, u32),
    /// `a`, `iv`, `B` (as written).
    Alpha(String),
}

#[derive(Debug, Clone)]
struct Marker {
    family: Family,
    label: Label,
    /// The marker as written, for diagnostics.
    written: String,
    /// A title: a heading's text, a bold lead-in, `Article 1 – Title`.
    title: Option<String>,
    /// A heading's title is a title whatever follows; others only when a body
    /// follows that does not simply go on with the same sentence.
    title_sure: bool,
    /// The text after the marker on its line.
    rest: String,
}

#[derive(Debug, Clone)]
enum Kind {
    Blank,
    /// `---`, `***`, `___`.
    Rule,
    /// A markdown heading without a number.
    Heading(String),
    Marker(Marker),
    Bullet,
    Text,
}

fn classify(t: &str) -> Kind {
    // An elision mark on its own line (`...`, `[…]`) marks a gap, not text.
    if t.is_empty() || matches!(t, "..." | "…" | "[...]" | "[…]" | "(...)" | "(…)") {
        return Kind::Blank;
    }
    if is_rule(t) {
        return Kind::Rule;
    }
    if let Some(kind) = heading(t) {
        return kind;
    }
    if let Some(m) = bold_marker(t)
        .or_else(|| word_marker(t))
        .or_else(|| plain_marker(t))
    {
        return Kind::Marker(m);
    }
    if is_bullet(t) {
        return Kind::Bullet;
    }
    Kind::Text
}

fn is_rule(t: &str) -> bool {
    let mut chars = t.chars().filter(|c| *c != ' ');
    let Some(first) = chars.next() else {
        return false;
    };
    "-*_=~".contains(first)
        && t.chars().filter(|c| *c != ' ').count() >= 3
        && chars.all(|c| c == first)
}

const BULLETS: &[char] = &[
    '-', '*', '+', '•', '·', '▪', '●', '◦', '■', '□', '‣', '⁃', '–', '—', '➢', '►', '○',
    '\u{f0b7}', '\u{f0a7}',
];

fn is_bullet(t: &str) -> bool {
    let mut chars = t.chars();
    matches!((chars.next(), chars.next()), (Some(b), Some(' ')) if BULLETS.contains(&b))
}

/// `## 1. Title`, `### Article 2 – Title`, `## **3.** Title`; or a heading
/// without a number.
fn heading(t: &str) -> Option<Kind> {
    let hashes = t.chars().take_while(|c| *c == '#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let after = &t[hashes..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let mut inner = after.trim();
    let closed = inner.trim_end_matches('#');
    if closed.len() < inner.len() && (closed.is_empty() || closed.ends_with(' ')) {
        inner = closed.trim_end();
    }
    let inner = strip_emphasis(inner);
    let marker = bold_marker(inner)
        .or_else(|| word_marker(inner))
        .or_else(|| plain_marker(inner))
        .or_else(|| heading_number(inner));
    Some(match marker {
        Some(m) => {
            let title = m
                .title
                .or_else(|| (!m.rest.is_empty()).then(|| m.rest.clone()))
                .map(|t| clean_title(&t))
                .filter(|t| !t.is_empty());
            Kind::Marker(Marker {
                family: Family::Heading,
                title,
                title_sure: true,
                rest: String::new(),
                ..m
            })
        }
        None => Kind::Heading(inner.to_string()),
    })
}

/// In a heading only: `1: Title`, `1 – Title`, `1` alone.
fn heading_number(t: &str) -> Option<Marker> {
    let (n, digits, after) = number_prefix(t)?;
    let rest = if after.is_empty() {
        ""
    } else {
        let r = after.trim_start();
        let sep = r.chars().next()?;
        if !(after.starts_with(' ') || sep == ':') || !":-–—".contains(sep) {
            return None;
        }
        let body = &r[sep.len_utf8()..];
        if !(body.is_empty() || body.starts_with(' ')) {
            return None;
        }
        body.trim()
    };
    Some(Marker {
        family: Family::Heading,
        label: Label::Num(n),
        written: digits.to_string(),
        title: None,
        title_sure: true,
        rest: rest.to_string(),
    })
}

/// Up to three digits at the start (four digits are a year, not a point).
fn number_prefix(t: &str) -> Option<(u32, &str, &str)> {
    let len = t.chars().take_while(char::is_ascii_digit).count();
    if len == 0 || len > 3 {
        return None;
    }
    let n: u32 = t[..len].parse().ok()?;
    (n > 0).then_some((n, &t[..len], &t[len..]))
}

/// `**1.** Text`, `**1**. Text`, `**1. Title** Text`, `**Point 1:** Text`.
fn bold_marker(t: &str) -> Option<Marker> {
    let delim = ["**", "__"].into_iter().find(|d| t.starts_with(d))?;
    let body = &t[2..];
    let close = body.find(delim)?;
    let inner = body[..close].trim();
    let mut after = &body[close + 2..];
    if let Some((n, digits, "")) = number_prefix(inner) {
        let sep = after.chars().next().filter(|c| ".):".contains(*c))?;
        after = &after[1..];
        if !(after.is_empty() || after.starts_with(' ')) {
            return None;
        }
        return Some(Marker {
            family: Family::Bold,
            label: Label::Num(n),
            written: format!("{delim}{digits}{delim}{sep}"),
            title: None,
            title_sure: false,
            rest: after.trim().to_string(),
        });
    }
    let m = word_marker(inner).or_else(|| plain_marker(inner))?;
    if !(after.is_empty() || after.starts_with(' ')) {
        // `**1.**:` and the like.
        let sep = after.chars().next().filter(|c| ".):".contains(*c))?;
        after = &after[sep.len_utf8()..];
    }
    let after = after.trim();
    let inner_text = m
        .title
        .clone()
        .or_else(|| (!m.rest.is_empty()).then(|| m.rest.clone()));
    let (title, rest) = match inner_text {
        // `**4. Elections** will be held …`: emphasis, not a title.
        Some(text)
            if after.chars().next().is_some_and(char::is_lowercase)
                && !text.ends_with(['.', ':']) =>
        {
            (None, format!("{} {after}", strip_emphasis(&text)))
        }
        Some(title) => (Some(clean_title(&title)), after.to_string()),
        None => (None, after.to_string()),
    };
    Some(Marker {
        family: Family::Bold,
        title_sure: title.is_some() && !rest.is_empty(),
        title: title.filter(|t| !t.is_empty()),
        written: format!("{delim}{inner}{delim}"),
        rest,
        label: m.label,
    })
}

/// `Point 1: Text`, `Point 1.`, `Article 1`, `ARTICLE 2 – Title`.
fn word_marker(t: &str) -> Option<Marker> {
    let word_end = t.find(' ')?;
    let family = match t[..word_end].to_lowercase().as_str() {
        "point" => Family::Point,
        "article" | "art." => Family::Article,
        _ => return None,
    };
    let after_word = t[word_end..].trim_start();
    let (label, after) = match number_prefix(after_word) {
        Some((n, _, after)) => (Label::Num(n), after),
        None => {
            // `Article IV`.
            let len = after_word
                .chars()
                .take_while(char::is_ascii_uppercase)
                .count();
            let roman = &after_word[..len];
            (
                Label::Roman(roman_value(roman)?, roman.to_string()),
                &after_word[len..],
            )
        }
    };
    let written_end = t.len() - after.len();
    let body = if after.is_empty() {
        ""
    } else {
        let r = after.trim_start();
        let sep = r.chars().next()?;
        if !":.-–—)".contains(sep) {
            return None;
        }
        let body = &r[sep.len_utf8()..];
        if !(body.is_empty() || body.starts_with(' ')) {
            return None;
        }
        body.trim()
    };
    let (title, rest) = match family {
        Family::Article if !body.is_empty() => (Some(clean_title(body)), String::new()),
        _ => (None, body.to_string()),
    };
    Some(Marker {
        family,
        label,
        written: t[..written_end].to_string(),
        title_sure: false,
        title,
        rest,
    })
}

/// `1.`, `1)`, `(1)`, `7.2`, `a)`, `(a)`, `a.`, `iv)`.
fn plain_marker(t: &str) -> Option<Marker> {
    let make = |family, label, written: &str, rest: &str| {
        Some(Marker {
            family,
            label,
            written: written.to_string(),
            title: None,
            title_sure: false,
            rest: rest.trim().to_string(),
        })
    };
    let spaced = |r: &str| r.is_empty() || r.starts_with(' ');
    if let Some(r) = t.strip_prefix('(') {
        let close = r.find(')')?;
        let label = &r[..close];
        let after = &r[close + 1..];
        if !spaced(after) {
            return None;
        }
        let written = &t[..close + 2];
        if let Some((n, _, "")) = number_prefix(label) {
            return make(Family::Parens, Label::Num(n), written, after);
        }
        if is_alpha_label(label, true) {
            return make(
                Family::Parens,
                Label::Alpha(label.to_string()),
                written,
                after,
            );
        }
        return None;
    }
    if let Some((n, digits, after)) = number_prefix(t) {
        let written = |extra: usize| &t[..digits.len() + extra];
        if let Some(r) = after.strip_prefix(')') {
            return spaced(r).then(|| make(Family::Paren, Label::Num(n), written(1), r))?;
        }
        if let Some(r) = after.strip_prefix('.') {
            if spaced(r) {
                return make(Family::Dot, Label::Num(n), written(1), r);
            }
            if let Some((m, _, r2)) = number_prefix(r) {
                let r2 = r2.strip_prefix('.').unwrap_or(r2);
                let len = t.len() - r2.len();
                return spaced(r2).then(|| make(Family::Dot, Label::Sub(n, m), &t[..len], r2))?;
            }
            // `1.The parties` (a PDF dump that lost the space).
            if r.chars().next().is_some_and(char::is_uppercase) {
                return make(Family::Dot, Label::Num(n), written(1), r);
            }
            return None;
        }
        // `12a.`, `12a)`: a point inserted in a revised draft.
        let mut chars = after.chars();
        let (letter, sep) = (chars.next()?, chars.next()?);
        let r = chars.as_str();
        if !letter.is_ascii_lowercase() || !spaced(r) {
            return None;
        }
        let family = match sep {
            '.' => Family::Dot,
            ')' => Family::Paren,
            _ => return None,
        };
        return make(family, Label::Inserted(n, letter), written(2), r);
    }
    let len = t.chars().take_while(char::is_ascii_alphabetic).count();
    if len == 0 || len > 6 {
        return None;
    }
    let label = &t[..len];
    let after = &t[len..];
    if let Some(r) = after.strip_prefix(')') {
        if spaced(r) && is_alpha_label(label, true) {
            return make(
                Family::Paren,
                Label::Alpha(label.to_string()),
                &t[..len + 1],
                r,
            );
        }
    } else if let Some(r) = after.strip_prefix('.') {
        if spaced(r) && is_alpha_label(label, false) {
            return make(
                Family::Dot,
                Label::Alpha(label.to_string()),
                &t[..len + 1],
                r,
            );
        }
    }
    None
}

/// A sub-point label: one letter, or a roman numeral. Upper case only where
/// `upper` (`A)` is a sub-point; `A.` is more often a section).
fn is_alpha_label(label: &str, upper: bool) -> bool {
    let all_lower = label.chars().all(|c| c.is_ascii_lowercase());
    let all_upper = label.chars().all(|c| c.is_ascii_uppercase());
    if !(all_lower || upper && all_upper) {
        return false;
    }
    label.len() == 1 || roman_value(label).is_some()
}

/// `iv` → 4 (either case; 1 to 39).
fn roman_value(s: &str) -> Option<u32> {
    if s.len() > 6 {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    (1..40u32).find(|&n| roman_text(n) == lower)
}

/// The label of the `value`-th sub-point of the kind of `place`, in the case
/// of `like`: (`Letter`, 2) → `b`, (`Roman`, 4) → `iv`.
fn label_text(place: SubPlace, value: u32, like: &str) -> String {
    let lower = match place {
        SubPlace::Letter(_) => char::from_u32('a' as u32 + value.saturating_sub(1).min(25))
            .map_or_else(String::new, String::from),
        SubPlace::Roman(_) | SubPlace::NestedRoman(_) => (1..40)
            .map(roman_text)
            .nth(value.saturating_sub(1) as usize)
            .unwrap_or_default(),
    };
    if like.chars().all(|c| c.is_ascii_uppercase()) {
        lower.to_uppercase()
    } else {
        lower
    }
}

fn roman_text(n: u32) -> String {
    const ONES: [&str; 10] = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"];
    const TENS: [&str; 4] = ["", "x", "xx", "xxx"];
    format!("{}{}", TENS[(n / 10 % 4) as usize], ONES[(n % 10) as usize])
}

/// The 1-based place of a single letter in the alphabet.
fn letter_value(s: &str) -> Option<u32> {
    let mut chars = s.chars();
    let c = chars.next()?.to_ascii_lowercase();
    (chars.next().is_none() && c.is_ascii_lowercase()).then(|| c as u32 - 'a' as u32 + 1)
}

/// A plain-text line that heads a section between points: `PART II`,
/// `Section 3 – Security`, `II. GUARANTEES`, `B. Territory`, `SECURITY`.
fn is_section_heading(t: &str) -> bool {
    let words: Vec<&str> = t.split(' ').collect();
    if words.len() > 12 || t.ends_with(['.', ',', ';']) {
        return false;
    }
    let first = words[0].to_lowercase();
    if words.len() >= 2
        && matches!(
            first.as_str(),
            "part" | "section" | "chapter" | "annex" | "annexe" | "appendix"
        )
    {
        return true;
    }
    if let Some(label) = words[0].strip_suffix('.') {
        let upper = !label.is_empty() && label.chars().all(|c| c.is_ascii_uppercase());
        if upper
            && (label.len() == 1 || roman_value(label).is_some())
            && words
                .get(1)
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_uppercase)
        {
            return true;
        }
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    words.len() <= 10
        && letters.len() >= 4
        && letters.iter().all(|c| c.is_uppercase())
        && !t.ends_with(':')
}

/// A line that can be a title: short, capitalised, no end punctuation.
fn is_title_line(t: &str) -> bool {
    t.split(' ').count() <= 8
        && t.chars().count() <= 80
        && t.chars().next().is_some_and(|c| c.is_uppercase())
        && !t.ends_with(['.', ',', ';', ':', '!', '?'])
}

/// Whether the line after `index` (blank lines aside) is body text that does
/// not go on with the sentence of line `index`.
fn body_follows(lines: &[Line], index: usize) -> bool {
    lines[index + 1..]
        .iter()
        .find(|l| !l.text.is_empty())
        .is_some_and(|l| {
            let body = match classify(&l.text) {
                Kind::Text | Kind::Bullet => true,
                // Paragraphs numbered inside the article.
                Kind::Marker(m) => !matches!(m.family, Family::Article | Family::Heading),
                _ => false,
            };
            body && !l.text.chars().next().is_some_and(char::is_lowercase)
        })
}

/// A short line in bold and nothing else: a heading in a markdown memo.
fn is_bold_line(t: &str) -> bool {
    let inner = strip_emphasis(t);
    (t.starts_with("**") || t.starts_with("__"))
        && inner.len() + 4 <= t.len()
        && inner.split(' ').count() <= 12
        && !inner.ends_with(['.', ',', ';'])
}

/// Strips `**…**`, `__…__`, `*…*`, `_…_` around the whole of `t`.
fn strip_emphasis(t: &str) -> &str {
    let mut t = t.trim();
    loop {
        let before = t;
        for d in ["**", "__", "*", "_"] {
            if t.len() > 2 * d.len() {
                if let Some(inner) = t.strip_prefix(d).and_then(|r| r.strip_suffix(d)) {
                    if !inner.contains(d) {
                        t = inner.trim();
                        break;
                    }
                }
            }
        }
        if t == before {
            return t;
        }
    }
}

fn clean_title(t: &str) -> String {
    let t = strip_emphasis(t.trim_start_matches('#').trim());
    let t = t.trim_end_matches([':', '.']).trim_end();
    strip_emphasis(t).to_string()
}

/// Ends a sentence or a clause: the next line is unlikely to go on with it.
fn ends_clause(t: &str) -> bool {
    t.ends_with(['.', ':', ';', '!', '?', ')', ']', '"', '”', '’', '\'', '»'])
}

// ---------------------------------------------------------------------------
// Pass 4: structure.

/// A point being read.
#[derive(Debug)]
struct Pending {
    number: String,
    /// Index of its first line.
    line: usize,
    title: Option<String>,
    /// A title that becomes text if what follows goes on with its sentence.
    candidate: Option<String>,
    blocks: Vec<Block>,
    /// Whether a text line goes on with the last block.
    open: bool,
    /// Indexes of the lines its text comes from, in order.
    lines: Vec<usize>,
    /// `Article 1` alone on its line: a short line after it may be its title.
    title_slot: bool,
    /// How it is numbered, and the indentation of its number.
    family: Family,
    indent: usize,
}

#[derive(Debug)]
struct Block {
    text: String,
    /// A list item (a bullet, or a numbered line of another style).
    item: bool,
    /// May be the same paragraph as the block before (a page break or a
    /// blank line in mid-sentence).
    soft: bool,
    /// A blank line stands before it.
    after_blank: bool,
    /// Index of its first line, and that line's indentation.
    first_line: usize,
    indent: usize,
}

impl Pending {
    fn new(number: String, index: usize, indent: usize, marker: &Marker) -> Pending {
        let mut p = Pending {
            number,
            line: index,
            title: None,
            candidate: None,
            blocks: Vec::new(),
            open: true,
            lines: vec![index],
            title_slot: marker.family == Family::Article
                && marker.title.is_none()
                && marker.rest.is_empty(),
            family: marker.family,
            indent,
        };
        match (&marker.title, marker.title_sure) {
            (Some(t), true) => p.title = Some(t.clone()),
            (Some(t), false) => p.candidate = Some(t.clone()),
            (None, _) => {}
        }
        if !marker.rest.is_empty() {
            p.settle_candidate(false);
            p.blocks.push(Block {
                text: marker.rest.clone(),
                item: false,
                soft: false,
                after_blank: false,
                first_line: index,
                indent,
            });
        }
        p
    }

    /// A body begins: a title candidate stays a title, unless the body goes
    /// on with its sentence (`Article 1: The parties shall` / `respect …`).
    fn settle_candidate(&mut self, continues: bool) {
        if let Some(c) = self.candidate.take() {
            if continues {
                let (first_line, indent) = (self.line, self.indent);
                self.blocks.push(Block {
                    text: c,
                    item: false,
                    soft: false,
                    after_blank: false,
                    first_line,
                    indent,
                });
            } else {
                self.title = Some(c);
            }
        }
    }

    /// A line of text: it goes on with the paragraph above, or starts one.
    /// In a text whose lines are whole paragraphs (`unwrapped`, as pasted
    /// from a web page), a line after a finished sentence starts a paragraph.
    fn add_text(&mut self, index: usize, line: &Line, after_blank: bool, unwrapped: bool) {
        self.lines.push(index);
        let text = line.text.as_str();
        let lower = text.chars().next().is_some_and(char::is_lowercase);
        if self.blocks.is_empty() {
            self.settle_candidate(!after_blank && lower);
        }
        if self.open && !after_blank {
            if let Some(last) = self.blocks.last_mut() {
                let new_paragraph =
                    unwrapped && !lower && !line.page_break && ends_clause(&last.text);
                if !new_paragraph {
                    last.text.push(' ');
                    last.text.push_str(text);
                    return;
                }
            }
        }
        self.blocks.push(Block {
            text: text.to_string(),
            item: false,
            soft: after_blank && (line.page_break || lower),
            after_blank,
            first_line: index,
            indent: line.indent,
        });
        self.open = true;
    }

    fn add_item(&mut self, index: usize, line: &Line) {
        self.lines.push(index);
        if self.blocks.is_empty() {
            self.settle_candidate(false);
        }
        self.blocks.push(Block {
            text: line.text.clone(),
            item: true,
            soft: false,
            after_blank: false,
            first_line: index,
            indent: line.indent,
        });
        self.open = true;
    }

    /// The title and the text.
    fn finish(&self) -> (Option<String>, String) {
        let mut text = String::new();
        for (i, b) in self.blocks.iter().enumerate() {
            if i > 0 {
                let prev = &self.blocks[i - 1];
                let same_paragraph = b.soft && !b.item && !prev.item && !ends_clause(&prev.text);
                text.push(if same_paragraph { ' ' } else { '\n' });
            }
            text.push_str(&b.text);
        }
        let text = text.replace('\u{ad}', "").trim().to_string();
        let title = self
            .title
            .clone()
            .or_else(|| self.candidate.clone())
            .map(|t| t.replace('\u{ad}', "").trim().to_string())
            .filter(|t| !t.is_empty());
        if text.is_empty() {
            (None, title.unwrap_or_default())
        } else {
            (title, text)
        }
    }
}

/// The top-level point being read, and the numbering under it.
#[derive(Debug)]
struct Top {
    number: u32,
    /// As displayed: `7`, `IV`, `7a`.
    display: String,
    indent: usize,
    /// The sub-point list directly under it.
    subs: Option<SubList>,
    /// A roman list under the current lettered sub-point (`21.a.i`).
    nested: Option<SubList>,
    /// The label of the current lettered sub-point, as written.
    letter: String,
    /// The last `7.N` sub-point.
    dotted: Option<u32>,
    /// A list of this point's own style nested deeper (markdown `   1.` under
    /// `3.`), at this indentation.
    nested_indent: Option<usize>,
    /// Numbered lines of another style seen inside this point.
    foreign: HashSet<Family>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubKind {
    Letter,
    Roman,
}

#[derive(Debug, Clone, Copy)]
struct SubList {
    kind: SubKind,
    last: u32,
}

enum Mode {
    /// Before the first point.
    Preamble,
    /// Inside a point.
    Point,
    /// After a heading or a rule between points: not part of a point.
    Dropped(Dropped),
}

struct Dropped {
    /// The heading's line and text, or `None` for a rule.
    heading: Option<(usize, String)>,
    lines: Vec<usize>,
}

struct Parsed {
    preamble: Vec<usize>,
    points: Vec<Pending>,
    parents_with_subs: HashSet<String>,
    warnings: Vec<ImportWarning>,
    errors: Vec<Diagnostic>,
}

struct Parser<'a> {
    lines: &'a [Line],
    bare: bool,
    /// The text is not wrapped: each line is a paragraph (a web page pasted).
    unwrapped: bool,
    mode: Mode,
    family: Option<Family>,
    top: Option<Top>,
    current: Option<Pending>,
    points: Vec<Pending>,
    preamble: Vec<usize>,
    /// Top-level numbers seen, with their line numbers.
    seen_top: HashMap<u32, usize>,
    /// Every point number seen, with its line number.
    seen: HashMap<String, usize>,
    last_top: Option<u32>,
    parents_with_subs: HashSet<String>,
    /// A blank line since the last line with text.
    blank: bool,
    /// The last line with text: its length in characters, and whether it ends
    /// a clause.
    last_text: Option<(usize, bool)>,
    /// The line of the last section heading between points.
    last_section: Option<usize>,
    warnings: Vec<ImportWarning>,
    errors: Vec<Diagnostic>,
}

/// What an alphabetic label is, where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubPlace {
    Letter(u32),
    Roman(u32),
    NestedRoman(u32),
}

impl<'a> Parser<'a> {
    fn new(lines: &'a [Line]) -> Parser<'a> {
        Parser {
            lines,
            bare: bare_numbers_are_points(lines),
            unwrapped: lines
                .iter()
                .any(|l| l.text.chars().count() > 130 && l.text.split(' ').count() >= 15),
            mode: Mode::Preamble,
            family: None,
            top: None,
            current: None,
            points: Vec::new(),
            preamble: Vec::new(),
            seen_top: HashMap::new(),
            seen: HashMap::new(),
            last_top: None,
            parents_with_subs: HashSet::new(),
            blank: false,
            last_text: None,
            last_section: None,
            warnings: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn run(mut self) -> Parsed {
        for index in 0..self.lines.len() {
            self.line(index);
        }
        self.end_dropped();
        self.close();
        self.trim_epilogue();
        Parsed {
            preamble: self.preamble,
            points: self.points,
            parents_with_subs: self.parents_with_subs,
            warnings: self.warnings,
            errors: self.errors,
        }
    }

    fn line(&mut self, index: usize) {
        let lines = self.lines;
        let line = &lines[index];
        let mut kind = classify(&line.text);
        if self.bare && is_bare_number(&line.text) {
            if let Ok(n) = line.text.parse::<u32>() {
                kind = Kind::Marker(Marker {
                    family: Family::Bare,
                    label: Label::Num(n),
                    written: line.text.clone(),
                    title: None,
                    title_sure: false,
                    rest: String::new(),
                });
            }
        }
        // A rule ends a dropped stretch at the next page; so does a page break.
        if line.page_break {
            if let Mode::Dropped(Dropped { heading: None, .. }) = self.mode {
                self.end_dropped();
                self.mode = Mode::Point;
            }
        }
        match kind {
            Kind::Blank => {
                self.blank = true;
                if let Some(p) = self.current.as_mut() {
                    p.open = false;
                }
                return;
            }
            Kind::Rule => {
                if matches!(self.mode, Mode::Point) {
                    self.mode = Mode::Dropped(Dropped {
                        heading: None,
                        lines: Vec::new(),
                    });
                }
                self.blank = true;
                return;
            }
            Kind::Heading(text) => match self.mode {
                Mode::Preamble => self.preamble.push(index),
                _ => self.section(index, text),
            },
            Kind::Marker(m) => self.marker(index, m),
            Kind::Bullet => self.other(index, true),
            Kind::Text => {
                let after_blank = self.blank || self.last_text.is_none_or(|(_, end)| end);
                let blank_after = lines.get(index + 1).is_none_or(|l| l.text.is_empty());
                let is_section = !matches!(self.mode, Mode::Preamble)
                    && (after_blank || line.page_break)
                    && (is_section_heading(&line.text)
                        || after_blank && blank_after && is_bold_line(&line.text));
                if is_section && line.page_break && !matches!(self.mode, Mode::Dropped(_)) {
                    // First on its page: more likely a running header than a
                    // section; the text around it goes on.
                    self.warn(
                        line,
                        format!(
                            "dropped \"{}\" at the top of a page (a page header?)",
                            printable(&line.text)
                        ),
                    );
                    return;
                } else if is_section {
                    self.section(index, line.text.clone());
                } else {
                    self.other(index, false);
                }
            }
        }
        self.blank = false;
        let text = &line.text;
        self.last_text = Some((text.chars().count(), ends_clause(text)));
    }

    /// A closing note after the last point (`Reporting by …`, a signature
    /// block) is not part of it: when no other point has a paragraph of its
    /// own after a blank line, an unindented one under the last point is
    /// dropped, with a warning. Headings and articles, whose sections often
    /// hold several paragraphs, keep theirs.
    fn trim_epilogue(&mut self) {
        let Some((last, others)) = self.points.split_last_mut() else {
            return;
        };
        let weak = !matches!(last.family, Family::Heading | Family::Article);
        let paragraphs = |p: &Pending| {
            p.blocks
                .iter()
                .skip(1)
                .any(|b| b.after_blank && !b.item && !b.soft)
        };
        if others.len() < 2 || !weak || others.iter().any(paragraphs) {
            return;
        }
        let Some(cut) = last
            .blocks
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, b)| b.after_blank && !b.item && !b.soft && b.indent <= last.indent)
            .map(|(i, _)| i)
        else {
            return;
        };
        let from = last.blocks[cut].first_line;
        last.blocks.truncate(cut);
        last.lines.retain(|&i| i < from);
        let to = (from..self.lines.len())
            .rev()
            .find(|&i| !self.lines[i].text.is_empty())
            .unwrap_or(from);
        let (a, b) = (self.lines[from].no, self.lines[to].no);
        let range = if a == b {
            format!("line {a}")
        } else {
            format!("lines {a}–{b}")
        };
        let number = last.number.clone();
        self.warnings.push(ImportWarning {
            line: a,
            message: format!(
                "the text after point {number} ({range}) reads as a closing note, not part of the point (no other point has a second paragraph), and was not imported"
            ),
        });
    }

    /// Whether the line before ends in mid-sentence, so that a number at the
    /// start of this one is more likely a wrapped figure than a new point.
    fn mid_sentence(&self) -> bool {
        !self.blank && self.last_text.is_some_and(|(len, ends)| len >= 40 && !ends)
    }

    /// A line of text or a bullet: into the preamble, the point, or dropped.
    fn other(&mut self, index: usize, item: bool) {
        let line = &self.lines[index];
        let (mid, blank, unwrapped) = (self.mid_sentence(), self.blank, self.unwrapped);
        match &mut self.mode {
            Mode::Preamble => self.preamble.push(index),
            Mode::Dropped(d) => d.lines.push(index),
            Mode::Point => {
                let title_next = self
                    .current
                    .as_ref()
                    .is_some_and(|p| p.title_slot && p.blocks.is_empty())
                    && !item
                    && is_title_line(&line.text)
                    && body_follows(self.lines, index);
                if let Some(p) = self.current.as_mut() {
                    p.title_slot = false;
                    if title_next {
                        p.title = Some(clean_title(&line.text));
                        p.lines.push(index);
                    } else if item && !mid {
                        p.add_item(index, line);
                    } else {
                        p.add_text(index, line, blank, unwrapped);
                    }
                }
            }
        }
    }

    /// A heading between points: not part of any point.
    fn section(&mut self, index: usize, text: String) {
        self.end_dropped();
        self.last_section = Some(self.lines[index].no);
        self.mode = Mode::Dropped(Dropped {
            heading: Some((index, text)),
            lines: Vec::new(),
        });
    }

    fn end_dropped(&mut self) {
        if !matches!(self.mode, Mode::Dropped(_)) {
            return;
        }
        let Mode::Dropped(d) = std::mem::replace(&mut self.mode, Mode::Point) else {
            return;
        };
        let range = match (d.lines.first(), d.lines.last()) {
            (Some(&a), Some(&b)) if a == b => format!("line {}", self.lines[a].no),
            (Some(&a), Some(&b)) => {
                format!("lines {}–{}", self.lines[a].no, self.lines[b].no)
            }
            _ => String::new(),
        };
        match d.heading {
            Some((at, text)) => {
                let mut message = format!(
                    "the heading \"{}\" stands between points and was not imported",
                    printable(&clean_title(&text))
                );
                if !range.is_empty() {
                    message.push_str(&format!(", nor the text under it ({range})"));
                }
                self.warnings.push(ImportWarning {
                    line: self.lines[at].no,
                    message,
                });
            }
            None if !range.is_empty() => {
                let first = d.lines.first().map_or(0, |&i| self.lines[i].no);
                self.warnings.push(ImportWarning {
                    line: first,
                    message: format!(
                        "the text after a horizontal rule ({range}) is not part of a point and was not imported"
                    ),
                });
            }
            None => {}
        }
    }

    fn marker(&mut self, index: usize, m: Marker) {
        let accepted = match &m.label {
            Label::Num(n) => self.accept_top(index, &m, *n, n.to_string()),
            Label::Roman(n, shown) => self.accept_top(index, &m, *n, shown.clone()),
            Label::Inserted(n, letter) => self.accept_inserted(index, &m, *n, *letter),
            Label::Sub(n, k) => self.accept_dotted(index, &m, *n, *k),
            Label::Alpha(label) => self.accept_alpha(index, &m, label),
        };
        if accepted {
            return;
        }
        // Not a point: a numbered line of another style stays in the text, as
        // a line of its own; a number wrapped in mid-sentence joins the line.
        let lines = self.lines;
        let mid = self.mid_sentence();
        if let (Mode::Point, Some(top)) = (&self.mode, self.top.as_mut()) {
            if !mid {
                top.foreign.insert(m.family);
            }
        }
        if m.family == Family::Heading {
            self.section(index, lines[index].text.clone());
        } else {
            self.other(index, !mid);
        }
    }

    fn accept_top(&mut self, index: usize, m: &Marker, n: u32, shown: String) -> bool {
        let lines = self.lines;
        let line = &lines[index];
        let mid = self.mid_sentence();
        let point_mode = matches!(self.mode, Mode::Point);
        let (Some(family), Some(last)) = (self.family, self.last_top) else {
            // The first point.
            self.start_top(index, m, n, shown);
            return true;
        };
        let Some(top) = self.top.as_mut() else {
            self.start_top(index, m, n, shown);
            return true;
        };
        let expected = last + 1;
        let accept = if m.family == family {
            if !m.family.strong() && point_mode {
                let deeper = line.indent >= top.indent + 2;
                if top.nested_indent.is_some_and(|ni| line.indent >= ni) {
                    return false;
                }
                if deeper && n != expected {
                    top.nested_indent = Some(line.indent);
                    return false;
                }
            }
            n == expected || m.family.strong() || !mid
        } else {
            n == expected && !mid && !top.foreign.contains(&m.family)
        };
        if accept {
            self.start_top(index, m, n, shown);
        }
        accept
    }

    /// `12a.` after point 12 (or 12 and 12a …): a point inserted in a revised
    /// draft, numbered as displayed.
    fn accept_inserted(&mut self, index: usize, m: &Marker, n: u32, letter: char) -> bool {
        let mid = self.mid_sentence();
        let (Some(top), Some(family)) = (self.top.as_mut(), self.family) else {
            return false;
        };
        if top.number != n || m.family != family || mid || matches!(self.mode, Mode::Preamble) {
            return false;
        }
        let number = format!("{n}{letter}");
        top.display = number.clone();
        top.subs = None;
        top.nested = None;
        top.dotted = None;
        top.nested_indent = None;
        top.foreign.clear();
        top.indent = self.lines[index].indent;
        self.end_dropped();
        self.close();
        self.begin(index, number, m);
        true
    }

    fn start_top(&mut self, index: usize, m: &Marker, n: u32, shown: String) {
        self.end_dropped();
        self.close();
        let lines = self.lines;
        let line = &lines[index];
        if let Some(&first) = self.seen_top.get(&n) {
            let help = match self.last_section {
                _ if n == 1 && self.seen_top.len() == 1 && m.family == Family::Dot => {
                    "a markdown list numbered `1.` throughout is displayed as 1, 2, 3…, but import never renumbers: write each item's number as it should appear".to_string()
                }
                Some(section) if section > first => format!(
                    "the numbering restarts after the heading at line {section}; numbers must be unique in a draft: number the points as they should appear (e.g. 2.1 or B.1), or import each section on its own"
                ),
                _ => "numbers must be unique in a draft: correct the numbering in the text (it is never renumbered silently)".to_string(),
            };
            self.errors.push(
                diagnostic_at(
                    line,
                    &m.written,
                    &format!(
                        "point {shown} at line {} is numbered again: point {shown} already starts at line {first}",
                        line.no
                    ),
                )
                .help(help),
            );
        } else {
            // Numbers in the style of the text: `IV` after `II` names `III`.
            let roman = matches!(m.label, Label::Roman(..));
            let shown_as = |v: u32| {
                if roman {
                    roman_text(v).to_uppercase()
                } else {
                    v.to_string()
                }
            };
            match self.last_top.map(|last| (last, shown_as(last))) {
                Some((last, l)) if n == last + 2 => self.warn(
                    line,
                    format!("point {} is missing: point {l} is followed by point {shown} at line {} (numbering kept as written)", shown_as(last + 1), line.no),
                ),
                Some((last, l)) if n > last + 2 => self.warn(
                    line,
                    format!("points {}–{} are missing: point {l} is followed by point {shown} at line {} (numbering kept as written)", shown_as(last + 1), shown_as(n - 1), line.no),
                ),
                Some((last, l)) if n <= last => self.warn(
                    line,
                    format!("point {shown} at line {} comes after point {l}: out of order (kept as written)", line.no),
                ),
                None if n != 1 => self.warn(line, format!("the numbering starts at {shown}, not {}", shown_as(1))),
                _ => {}
            }
            self.seen_top.insert(n, line.no);
        }
        self.family.get_or_insert(m.family);
        self.last_top = Some(n);
        self.top = Some(Top {
            number: n,
            display: shown.clone(),
            indent: line.indent,
            subs: None,
            nested: None,
            letter: String::new(),
            dotted: None,
            nested_indent: None,
            foreign: HashSet::new(),
        });
        self.begin(index, shown, m);
    }

    /// `7.2` under point 7.
    fn accept_dotted(&mut self, index: usize, m: &Marker, n: u32, k: u32) -> bool {
        if !matches!(self.mode, Mode::Point) {
            return false;
        }
        let mid = self.mid_sentence();
        let Some(top) = self.top.as_mut() else {
            return false;
        };
        if top.number != n {
            return false;
        }
        let expected = top.dotted.map_or(1, |d| d + 1);
        if k != expected && (mid || k > expected + 20) {
            return false;
        }
        top.dotted = Some(k);
        let lines = self.lines;
        let line = &lines[index];
        if k > expected {
            self.warn(
                line,
                format!(
                    "sub-point {n}.{} is missing before {n}.{k} (numbering kept as written)",
                    expected
                ),
            );
        }
        let number = format!("{n}.{k}");
        self.parents_with_subs.insert(n.to_string());
        self.close();
        self.begin(index, number, m);
        true
    }

    /// `a)`, `(b)`, `c.`, `(iv)` under a point.
    fn accept_alpha(&mut self, index: usize, m: &Marker, label: &str) -> bool {
        if !matches!(self.mode, Mode::Point) {
            return false;
        }
        let mid = self.mid_sentence();
        let Some(top) = self.top.as_mut() else {
            return false;
        };
        let letter = letter_value(label);
        let roman = roman_value(label);
        let place = match (top.nested, roman) {
            (Some(nested), Some(r)) if r == nested.last + 1 => Some(SubPlace::NestedRoman(r)),
            _ => match (top.subs, letter, roman) {
                (
                    Some(SubList {
                        kind: SubKind::Letter,
                        last,
                    }),
                    Some(l),
                    _,
                ) if l == last + 1 => Some(SubPlace::Letter(l)),
                (
                    Some(SubList {
                        kind: SubKind::Roman,
                        last,
                    }),
                    _,
                    Some(r),
                ) if r == last + 1 => Some(SubPlace::Roman(r)),
                (None, _, Some(1)) => Some(SubPlace::Roman(1)),
                (None, Some(1), _) => Some(SubPlace::Letter(1)),
                (
                    Some(SubList {
                        kind: SubKind::Letter,
                        ..
                    }),
                    _,
                    Some(1),
                ) => Some(SubPlace::NestedRoman(1)),
                (
                    Some(SubList {
                        kind: SubKind::Roman,
                        ..
                    }),
                    Some(1),
                    _,
                ) => Some(SubPlace::Letter(1)),
                _ if mid => None,
                // Irregular: a skipped or repeated label.
                (
                    Some(SubList {
                        kind: SubKind::Roman,
                        ..
                    }),
                    _,
                    Some(r),
                ) => Some(SubPlace::Roman(r)),
                (_, Some(l), _) => Some(SubPlace::Letter(l)),
                (None, None, Some(r)) => Some(SubPlace::Roman(r)),
                _ => None,
            },
        };
        let Some(place) = place else {
            return false;
        };
        let n = top.display.clone();
        let expected_last = match place {
            SubPlace::Letter(_) => top
                .subs
                .filter(|s| s.kind == SubKind::Letter)
                .map_or(0, |s| s.last),
            SubPlace::Roman(_) => top
                .subs
                .filter(|s| s.kind == SubKind::Roman)
                .map_or(0, |s| s.last),
            SubPlace::NestedRoman(_) => top.nested.map_or(0, |s| s.last),
        };
        let (value, number) = match place {
            SubPlace::Letter(l) => {
                top.subs = Some(SubList {
                    kind: SubKind::Letter,
                    last: l,
                });
                top.nested = None;
                top.letter = label.to_string();
                (l, format!("{n}.{label}"))
            }
            SubPlace::Roman(r) => {
                top.subs = Some(SubList {
                    kind: SubKind::Roman,
                    last: r,
                });
                (r, format!("{n}.{label}"))
            }
            SubPlace::NestedRoman(r) => {
                top.nested = Some(SubList {
                    kind: SubKind::Roman,
                    last: r,
                });
                (r, format!("{n}.{}.{label}", top.letter))
            }
        };
        let parent = match place {
            SubPlace::NestedRoman(_) => format!("{n}.{}", top.letter),
            _ => n.to_string(),
        };
        let lines = self.lines;
        let line = &lines[index];
        if value > expected_last + 1 && !self.seen.contains_key(&number) {
            self.warn(
                line,
                format!(
                    "sub-point {parent}.{} is missing: {number} at line {} comes after {} (numbering kept as written)",
                    label_text(place, expected_last + 1, label),
                    line.no,
                    if expected_last == 0 {
                        format!("point {parent}")
                    } else {
                        format!("{parent}.{}", label_text(place, expected_last, label))
                    },
                ),
            );
        } else if value <= expected_last && !self.seen.contains_key(&number) {
            self.warn(
                line,
                format!("sub-point {number} is out of order (kept as written)"),
            );
        }
        self.parents_with_subs.insert(parent);
        self.close();
        self.begin(index, number, m);
        true
    }

    /// Starts a point or sub-point numbered `number` at line `index`.
    fn begin(&mut self, index: usize, number: String, m: &Marker) {
        let lines = self.lines;
        let line = &lines[index];
        if let Some(&first) = self.seen.get(&number) {
            // Top-level repeats are reported by `start_top`, with more help.
            if number.contains('.') {
                self.errors.push(
                    diagnostic_at(
                        line,
                        &m.written,
                        &format!("sub-point {number} at line {} is numbered again: it already starts at line {first}", line.no),
                    )
                    .help("numbers must be unique in a draft: correct the lettering in the text (it is never renumbered silently)"),
                );
            }
        } else {
            self.seen.insert(number.clone(), line.no);
        }
        self.current = Some(Pending::new(number, index, line.indent, m));
        self.mode = Mode::Point;
    }

    fn close(&mut self) {
        if let Some(p) = self.current.take() {
            self.points.push(p);
        }
    }

    fn warn(&mut self, line: &Line, message: String) {
        self.warnings.push(ImportWarning {
            line: line.no,
            message,
        });
    }
}

// ---------------------------------------------------------------------------
// The plan title, and what else stood before the first point.

fn title_from_preamble(lines: &[Line], preamble: &[usize]) -> Option<String> {
    let heading = preamble
        .iter()
        .find_map(|&i| match classify(&lines[i].text) {
            Kind::Heading(t) => Some(t),
            _ => None,
        });
    heading
        .or_else(|| preamble.first().map(|&i| lines[i].text.clone()))
        .map(|t| clean_title(&t))
        .filter(|t| !t.is_empty())
}

fn warn_preamble(
    lines: &[Line],
    preamble: &[usize],
    title_given: bool,
    warnings: &mut Vec<ImportWarning>,
) {
    // With --title the title line is replaced rather than lost: no warning.
    let title_line = preamble
        .iter()
        .copied()
        .find(|&i| matches!(classify(&lines[i].text), Kind::Heading(_)))
        .or_else(|| preamble.first().copied());
    let rest: Vec<usize> = preamble
        .iter()
        .copied()
        .filter(|&i| Some(i) != title_line)
        .collect();
    let (Some(&first), Some(&last)) = (rest.first(), rest.last()) else {
        return;
    };
    let range = if first == last {
        format!("line {}", lines[first].no)
    } else {
        format!("lines {}–{}", lines[first].no, lines[last].no)
    };
    let kept = if title_line.is_some() && !title_given {
        "; the title was taken from it"
    } else {
        ""
    };
    warnings.push(ImportWarning {
        line: lines[first].no,
        message: format!(
            "the text before the first point ({range}) is not part of any point and was not imported{kept}"
        ),
    });
}

// ---------------------------------------------------------------------------
// Diagnostics.

fn diagnostic(line: &Line, message: &str, help: Option<&str>) -> Diagnostic {
    let d = Diagnostic {
        line: line.no,
        column: 1,
        source_line: line.raw.clone(),
        width: line.raw.chars().count().max(1),
        message: message.to_string(),
        help: None,
    };
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}

/// A diagnostic pointing at `what` in the line (at its first non-blank
/// character when `what` is not found as written).
fn diagnostic_at(line: &Line, what: &str, message: &str) -> Diagnostic {
    let raw = &line.raw;
    let (column, width) = match raw.find(what).filter(|_| !what.is_empty()) {
        Some(at) => (raw[..at].chars().count() + 1, what.chars().count()),
        None => {
            let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
            (lead + 1, raw.trim().chars().count().max(1))
        }
    };
    Diagnostic {
        line: line.no,
        column,
        source_line: raw.clone(),
        width: width.max(1),
        message: message.to_string(),
        help: None,
    }
}

/// Locates the bracket that does not balance among the lines the point's text
/// comes from.
fn bracket_diagnostic(
    lines: &[Line],
    pending: &Pending,
    text: &str,
    e: &brackets::BracketError,
) -> Diagnostic {
    let bracket = text[e.offset()..].chars().next().unwrap_or('[');
    let k = text[..e.offset()].matches(bracket).count();
    let mut seen = 0;
    let mut at = (&lines[pending.line], None);
    for &i in &pending.lines {
        let line = &lines[i];
        let here = line.raw.matches(bracket).count();
        if seen + here > k {
            let offset = line
                .raw
                .match_indices(bracket)
                .nth(k - seen)
                .map(|(o, _)| o);
            at = (line, offset);
            break;
        }
        seen += here;
    }
    let (line, offset) = at;
    let column = offset.map_or(1, |o| line.raw[..o].chars().count() + 1);
    Diagnostic {
        line: line.no,
        column,
        source_line: line.raw.clone(),
        width: 1,
        message: format!("unbalanced brackets in point {}: {e}", pending.number),
        help: Some(
            "brackets are imported as written and mark disputed language, so they must balance: correct the text (add the missing bracket, or remove the stray one)"
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Imported {
        import(text, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn points(text: &str) -> Vec<(String, Option<String>, String)> {
        run(text)
            .plan
            .points
            .into_iter()
            .map(|p| (p.number, p.title, p.text))
            .collect()
    }

    fn numbers(text: &str) -> Vec<String> {
        run(text)
            .plan
            .points
            .into_iter()
            .map(|p| p.number)
            .collect()
    }

    fn errors(text: &str) -> Vec<Diagnostic> {
        match import(text, &ImportOptions::default()) {
            Err(Error::ImportDraft { diagnostics, .. }) => diagnostics,
            other => panic!("expected an import error, got {other:?}"),
        }
    }

    fn label(t: &str) -> Option<(Family, Label, String)> {
        match classify(t) {
            Kind::Marker(m) => Some((m.family, m.label, m.rest)),
            _ => None,
        }
    }

    fn alpha(s: &str) -> Label {
        Label::Alpha(s.to_string())
    }

    #[test]
    fn recognises_numbers_at_line_start() {
        use Family::*;
        let cases = [
            ("1. Text", Some((Dot, Label::Num(1), "Text"))),
            ("12) Text", Some((Paren, Label::Num(12), "Text"))),
            ("(3) Text", Some((Parens, Label::Num(3), "Text"))),
            ("7.2 Text", Some((Dot, Label::Sub(7, 2), "Text"))),
            ("7.2. Text", Some((Dot, Label::Sub(7, 2), "Text"))),
            ("4.", Some((Dot, Label::Num(4), ""))),
            ("1.The parties", Some((Dot, Label::Num(1), "The parties"))),
            ("2025. The year", None),
            ("30 km from the line", None),
            ("0. Zero", None),
            ("1.5million", None),
        ];
        for (text, expected) in cases {
            let got = label(text);
            let expected = expected.map(|(f, l, r)| (f, l, r.to_string()));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn recognises_letters_and_romans() {
        use Family::*;
        assert_eq!(label("a) x"), Some((Paren, alpha("a"), "x".into())));
        assert_eq!(label("(b) x"), Some((Parens, alpha("b"), "x".into())));
        assert_eq!(label("c. x"), Some((Dot, alpha("c"), "x".into())));
        assert_eq!(label("(iv) x"), Some((Parens, alpha("iv"), "x".into())));
        assert_eq!(label("B) x"), Some((Paren, alpha("B"), "x".into())));
        // `A.` and `I.` head sections more often than sub-points.
        assert_eq!(label("A. Security"), None);
        assert_eq!(label("e.g. this"), None);
        assert_eq!(label("etc. and"), None);
        assert_eq!(label("ab) x"), None);
        assert_eq!(roman_value("xiv"), Some(14));
        assert_eq!(roman_value("IX"), Some(9));
        assert_eq!(roman_value("iiii"), None);
        assert_eq!(roman_value("c"), None);
        assert_eq!(letter_value("h"), Some(8));
    }

    #[test]
    fn recognises_point_and_article_words() {
        let m = |t: &str| match classify(t) {
            Kind::Marker(m) => Some((m.family, m.label, m.title, m.rest)),
            _ => None,
        };
        assert_eq!(
            m("Point 1: The text."),
            Some((Family::Point, Label::Num(1), None, "The text.".into()))
        );
        assert_eq!(
            m("POINT 2."),
            Some((Family::Point, Label::Num(2), None, String::new()))
        );
        assert_eq!(
            m("Article 3"),
            Some((Family::Article, Label::Num(3), None, String::new()))
        );
        assert_eq!(
            m("ARTICLE 4 – Line of contact"),
            Some((
                Family::Article,
                Label::Num(4),
                Some("Line of contact".into()),
                String::new()
            ))
        );
        assert_eq!(
            m("Article 5: Monitoring"),
            Some((
                Family::Article,
                Label::Num(5),
                Some("Monitoring".into()),
                String::new()
            ))
        );
        assert_eq!(m("Article 5 of the North Atlantic Treaty"), None);
        assert_eq!(m("Point 3 of the plan says"), None);
    }

    #[test]
    fn recognises_bold_numbers() {
        let m = |t: &str| match classify(t) {
            Kind::Marker(m) => Some((m.label, m.title, m.rest)),
            _ => None,
        };
        assert_eq!(m("**1.** Text"), Some((Label::Num(1), None, "Text".into())));
        assert_eq!(m("**2**. Text"), Some((Label::Num(2), None, "Text".into())));
        assert_eq!(m("__3)__ Text"), Some((Label::Num(3), None, "Text".into())));
        assert_eq!(
            m("**4. Prisoners.** All are exchanged."),
            Some((
                Label::Num(4),
                Some("Prisoners".into()),
                "All are exchanged.".into()
            ))
        );
        assert_eq!(
            m("**5. Elections** will be held."),
            Some((Label::Num(5), None, "Elections will be held.".into()))
        );
        assert_eq!(
            m("**Point 6:** Text"),
            Some((Label::Num(6), None, "Text".into()))
        );
        assert_eq!(m("**Important** text"), None);
    }

    #[test]
    fn recognises_headings() {
        let m = |t: &str| match classify(t) {
            Kind::Marker(m) => Some((m.family, m.label, m.title)),
            _ => None,
        };
        assert_eq!(
            m("## 1. Sovereignty"),
            Some((Family::Heading, Label::Num(1), Some("Sovereignty".into())))
        );
        assert_eq!(
            m("### Point 2: NATO ###"),
            Some((Family::Heading, Label::Num(2), Some("NATO".into())))
        );
        assert_eq!(
            m("## Article 3 – Guarantees"),
            Some((Family::Heading, Label::Num(3), Some("Guarantees".into())))
        );
        assert_eq!(
            m("## **4.** Elections"),
            Some((Family::Heading, Label::Num(4), Some("Elections".into())))
        );
        assert_eq!(m("## 5"), Some((Family::Heading, Label::Num(5), None)));
        assert_eq!(
            m("## 6: Amnesty"),
            Some((Family::Heading, Label::Num(6), Some("Amnesty".into())))
        );
        assert!(matches!(classify("# 20-point plan"), Kind::Heading(t) if t == "20-point plan"));
        assert!(matches!(classify("#hashtag"), Kind::Text));
    }

    #[test]
    fn recognises_page_furniture() {
        for t in [
            "Page 3 of 12",
            "page 3",
            "PAGE 3/12",
            "3 of 12",
            "- 3 -",
            "— 12 —",
            "p. 4",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["Page three", "3 points", "- a -", "Pages 3 of the annex"] {
            assert!(!is_page_number(t), "{t}");
        }
        assert!(is_rule("---") && is_rule("* * *") && is_rule("______"));
        assert!(!is_rule("--") && !is_rule("-x-"));
        assert!(is_bullet("• item") && is_bullet("- item") && !is_bullet("-item"));
    }

    #[test]
    fn rejoins_hyphenated_words() {
        let none = HashSet::new();
        assert_eq!(
            hyphen_join("The recon-", "struction of", &none).as_deref(),
            Some("The reconstruction of")
        );
        let compounds: HashSet<String> = ["self-determination".to_string()].into();
        assert_eq!(
            hyphen_join("any self-", "determination vote", &compounds).as_deref(),
            Some("any self-determination vote")
        );
        assert_eq!(
            hyphen_join("pre-", "and post-war", &none).as_deref(),
            Some("pre- and post-war")
        );
        assert_eq!(hyphen_join("Kyiv-", "Moscow talks", &none), None);
        assert_eq!(hyphen_join("item 3 -", "more", &none), None);
        assert_eq!(hyphen_join("the line-", "a) first", &none), None);
        assert_eq!(
            hyphen_join("soft\u{ad}", "Hyphen", &none).as_deref(),
            Some("softHyphen")
        );
    }

    #[test]
    fn text_before_the_first_point_gives_the_title() {
        let imported = run("# The plan\n\nSome intro.\n\n1. One.\n");
        assert_eq!(imported.plan.title.as_deref(), Some("The plan"));
        assert_eq!(imported.warnings.len(), 1);
        assert_eq!(imported.warnings[0].line, 3);
        let plain = run("Plan title\n1. One.\n");
        assert_eq!(plain.plan.title.as_deref(), Some("Plan title"));
        assert!(plain.warnings.is_empty());
        assert_eq!(run("1. One.\n").plan.title, None);
        let options = ImportOptions {
            title: Some("Given".into()),
            parties: vec!["US".into(), "Ukraine".into()],
            ..ImportOptions::default()
        };
        let given = import("Plan title\n1. One.\n", &options).unwrap();
        assert_eq!(given.plan.title.as_deref(), Some("Given"));
        assert_eq!(given.plan.parties, ["US", "Ukraine"]);
        assert!(given.warnings.is_empty());
    }

    #[test]
    fn continuation_lines_join_and_paragraphs_stay_apart() {
        assert_eq!(
            points("1. One line\n   and its wrap.\n\n   A second paragraph.\n2. Two.\n")[0].2,
            "One line and its wrap.\nA second paragraph."
        );
        // A paragraph cut by a blank line in mid-sentence is one paragraph.
        assert_eq!(
            points("1. One line that goes on\n\nand on.\n")[0].2,
            "One line that goes on and on."
        );
        // Numbers inside running text never start a point.
        assert_eq!(
            points("1. Forces withdraw (1) first; 2. then.\n")[0].2,
            "Forces withdraw (1) first; 2. then."
        );
    }

    #[test]
    fn a_number_wrapped_in_mid_sentence_is_not_a_point() {
        let p = points("1. The parties will respect the arrangements set out in paragraph\n3. of the annex.\n2. Two.\n");
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0].2,
            "The parties will respect the arrangements set out in paragraph 3. of the annex."
        );
    }

    #[test]
    fn skipped_numbers_warn_with_their_line() {
        let imported = run("1. One.\n2. Two.\n4. Four.\n8. Eight.\n");
        assert_eq!(numbers("1. One.\n2. Two.\n4. Four.\n"), ["1", "2", "4"]);
        let w: Vec<(usize, &str)> = imported
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].0, 3);
        assert!(w[0].1.contains("point 3 is missing"), "{w:?}");
        assert_eq!(w[1].0, 4);
        assert!(w[1].1.contains("points 5–7 are missing"), "{w:?}");
    }

    #[test]
    fn repeated_numbers_are_errors_naming_both_lines() {
        let e = errors("1. One.\n2. Two.\n2. Two again.\n3. Three.\n");
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].column), (3, 1));
        assert!(e[0].message.contains("line 2"), "{:?}", e[0]);
        // Numbering that restarts in a new section is a repeat, and says so.
        let e = errors("1. One.\n2. Two.\n\nPART II\n\n1. Again.\n");
        assert_eq!(e[0].line, 6);
        assert!(e[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("restarts after the heading at line 4"));
        // Sub-points too.
        let e = errors("1. One:\na) x;\nb) y;\nb) z.\n");
        assert_eq!(e[0].line, 4);
        assert!(e[0].message.contains("1.b"), "{:?}", e[0]);
    }

    #[test]
    fn sub_points_letters_and_romans() {
        assert_eq!(
            numbers("21. T:\na) x;\n(b) y;\nc. z.\n22. U.\n"),
            ["21", "21.a", "21.b", "21.c", "22"]
        );
        assert_eq!(
            numbers("1. T:\ni) x;\nii) y;\niii) z;\niv) w;\nv) v.\n"),
            ["1", "1.i", "1.ii", "1.iii", "1.iv", "1.v"]
        );
        // A lone `i)` after `h)` is a letter.
        let letters = "1. T:\na) a\nb) b\nc) c\nd) d\ne) e\nf) f\ng) g\nh) h\ni) i\nj) j\n";
        assert_eq!(numbers(letters)[9], "1.i");
        assert_eq!(numbers(letters)[10], "1.j");
        // Romans under a letter.
        assert_eq!(
            numbers("1. T:\n(a) x:\n(i) p;\n(ii) q;\n(b) y.\n"),
            ["1", "1.a", "1.a.i", "1.a.ii", "1.b"]
        );
        // A skipped letter warns.
        let imported = run("1. T:\na) x;\nc) z.\n");
        assert_eq!(imported.warnings.len(), 1);
        assert_eq!(imported.warnings[0].line, 3);
        // Letters before any point are not sub-points.
        assert_eq!(numbers("a) preamble\n1. One.\n"), ["1"]);
    }

    #[test]
    fn bullets_and_other_lists_stay_in_the_text() {
        assert_eq!(
            points("1. Measures:\n- water;\n- power\n  and heat;\n* schools.\n2. Two.\n")[0].2,
            "Measures:\n- water;\n- power and heat;\n* schools."
        );
        // A list numbered in another style, or nested deeper, is text.
        let p = points("1. Steps:\n   1. first;\n   2. second.\n2. Two.\n");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].2, "Steps:\n1. first;\n2. second.");
        let p = points("1. Steps:\n(1) first;\n(2) second.\n2. Two.\n");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].2, "Steps:\n(1) first;\n(2) second.");
    }

    #[test]
    fn titles_from_headings_bold_and_articles() {
        let p = points("## 1. Sovereignty\n\nConfirmed.\n\n## 2. Guarantees\n\n## 3. NATO\nNo.\n");
        assert_eq!(
            p[0],
            ("1".into(), Some("Sovereignty".into()), "Confirmed.".into())
        );
        // A heading with no body: its text is the point's text.
        assert_eq!(p[1], ("2".into(), None, "Guarantees".into()));
        let p =
            points("Article 1: The parties shall\nrespect the line.\nArticle 2 – Title\nBody.\n");
        assert_eq!(
            p[0],
            (
                "1".into(),
                None,
                "The parties shall respect the line.".into()
            )
        );
        assert_eq!(p[1], ("2".into(), Some("Title".into()), "Body.".into()));
    }

    #[test]
    fn brackets_are_kept_and_must_balance() {
        assert_eq!(
            points("1. The line [shall][may] be\n[frozen].\n")[0].2,
            "The line [shall][may] be [frozen]."
        );
        let e = errors("1. Fine.\n2. The line\nis [frozen.\n");
        assert_eq!((e[0].line, e[0].column), (3, 4));
        assert!(e[0].message.contains("point 2"));
    }

    #[test]
    fn pdf_dumps_lose_their_page_furniture() {
        let text = "Header line\n1. The recon-\n\nPage 1 of 3\n\u{c}Header line\nstruction goes on\n2. Two.\n- 2 -\n\u{c}Header line\n3. Three.\n12\n";
        let imported = run(text);
        let p: Vec<&str> = imported
            .plan
            .points
            .iter()
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(p, ["The reconstruction goes on", "Two.", "Three."]);
        assert_eq!(imported.plan.title.as_deref(), Some("Header line"));
        assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    }

    #[test]
    fn headers_are_told_from_repeated_body_lines() {
        // Pages marked with form feeds: a line repeated at page tops goes, a
        // line repeated inside the text stays.
        let page = |n: u32, word: &str| {
            format!("{n}. Point {n} is long enough to wrap around at the end\nThe parties agree.\nThey talk about {word}.\n\x0cHeader\n")
        };
        let text = format!(
            "Plan\n{}{}{}4. Four.\n",
            page(1, "peace"),
            page(2, "trade"),
            page(3, "power")
        );
        let imported = run(&text);
        let texts: Vec<&str> = imported
            .plan
            .points
            .iter()
            .map(|p| p.text.as_str())
            .collect();
        assert!(
            texts[0].ends_with("at the end The parties agree. They talk about peace."),
            "{texts:?}"
        );
        assert_eq!(texts[3], "Four.");
        assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
        assert!(imported.warnings[0].message.contains("\"Header\""));
        // No page marks (copied from a PDF viewer): short lines repeated as
        // they are, far apart, go.
        let mut text = String::from("Plan\n");
        for i in 1..=4 {
            text.push_str(&format!(
                "{i}. Point {i} first line\nand its second line.\nmore text {i}\nand more.\nEmbargoed draft\n"
            ));
        }
        let imported = run(&text);
        assert_eq!(
            imported.plan.points[0].text,
            "Point 1 first line and its second line. more text 1 and more."
        );
        assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    }

    #[test]
    fn unwrapped_paragraphs_stay_apart() {
        let long = "This paragraph is long enough that nobody would ever have wrapped it by hand, so every line of this text is a paragraph of its own.";
        let text =
            format!("Plan\n1. {long}\n2. Territories:\nCrimea is one.\nKherson is another.\n");
        assert_eq!(
            points(&text)[1].2,
            "Territories:\nCrimea is one.\nKherson is another."
        );
    }

    #[test]
    fn a_closing_note_after_the_last_point_is_dropped_with_a_warning() {
        let imported = run("Plan\n1. One.\n2. Two.\n3. Three.\n\nReporting by A; editing by B.\n");
        assert_eq!(imported.plan.points[2].text, "Three.");
        assert_eq!(imported.warnings.len(), 1);
        assert_eq!(imported.warnings[0].line, 6);
        // Not when the points have paragraphs of their own, nor when it is
        // indented under the point.
        let p = points("Plan\n1. One.\n\nMore one.\n2. Two.\n3. Three.\n\nMore three.\n");
        assert_eq!(p[2].2, "Three.\nMore three.");
        let p = points("Plan\n1. One.\n2. Two.\n3. Three.\n\n   More three.\n");
        assert_eq!(p[2].2, "Three.\nMore three.");
    }

    #[test]
    fn an_article_title_may_stand_on_the_next_line() {
        let p = points("Article 1\nCeasefire\nAll hostilities cease.\nArticle 2\nThe parties agree\nto talk.\nArticle 3\nShort text\n");
        assert_eq!(
            p[0],
            (
                "1".into(),
                Some("Ceasefire".into()),
                "All hostilities cease.".into()
            )
        );
        assert_eq!(
            p[1],
            ("2".into(), None, "The parties agree to talk.".into())
        );
        assert_eq!(p[2], ("3".into(), None, "Short text".into()));
    }

    #[test]
    fn inserted_points_and_roman_articles_keep_their_numbers() {
        assert_eq!(
            numbers("1. One.\n2. Two:\na) x.\n2a. Inserted:\na) y.\n3. Three.\n"),
            ["1", "2", "2.a", "2a", "2a.a", "3"]
        );
        // Only right after its point, in the text's style.
        assert_eq!(numbers("1. One.\n2. Two.\n1a) not here.\n"), ["1", "2"]);
        let imported = run("Article I\nOne.\nArticle II – Borders\nTwo.\nArticle IV\nFour.\n");
        let p: Vec<&str> = imported
            .plan
            .points
            .iter()
            .map(|p| p.number.as_str())
            .collect();
        assert_eq!(p, ["I", "II", "IV"]);
        assert!(imported.warnings[0]
            .message
            .starts_with("point III is missing"));
        let e = errors("Article I\nOne.\nArticle I\nAgain.\n");
        assert!(
            e[0].message.contains("point I at line 3 is numbered again"),
            "{e:?}"
        );
    }

    #[test]
    fn front_matter_is_metadata() {
        let imported =
            run("---\ntitle: \"Peace memo\"\nauthor: staff\n---\n\n# Heading\n\n1. One.\n");
        assert_eq!(imported.plan.title.as_deref(), Some("Peace memo"));
        assert_eq!(imported.plan.points.len(), 1);
        // A rule that opens a text is no front matter.
        let imported = run("---\nPlan\n---\n1. One.\n");
        assert_eq!(imported.plan.title.as_deref(), Some("Plan"));
    }

    #[test]
    fn bare_numbers_are_points_only_without_other_numbering() {
        assert_eq!(numbers("Title\n\n1\nFirst.\n\n2\nSecond.\n"), ["1", "2"]);
        assert_eq!(numbers("1. First.\n\n7\n\n2. Second.\n"), ["1", "2"]);
    }

    #[test]
    fn line_endings_quotes_escapes_and_odd_characters() {
        assert_eq!(numbers("T\r\n1. One.\r\n2. Two.\r\n"), ["1", "2"]);
        assert_eq!(numbers("T\r1. One.\r2. Two.\r"), ["1", "2"]);
        assert_eq!(numbers("> 1. One.\n> 2. Two.\n"), ["1", "2"]);
        assert_eq!(points("1\\. One \\[a\\].\n")[0].2, "One [a].");
        assert_eq!(
            points("\u{feff}1.\u{a0}One\u{200b} \u{1b}[1;31mtwo\u{1b}[0m\u{7}.\n")[0].2,
            "One two."
        );
        assert_eq!(points("1.\tTabbed   text.\n")[0].2, "Tabbed text.");
    }

    #[test]
    fn points_without_text() {
        let imported = run("1.\n\n2. Two.\n");
        assert_eq!(imported.plan.points.len(), 1);
        assert!(imported.warnings[0].message.contains("point 1 has no text"));
        let imported = run("21.\na) x;\nb) y.\n");
        assert_eq!(
            imported
                .plan
                .points
                .iter()
                .map(|p| p.number.as_str())
                .collect::<Vec<_>>(),
            ["21.a", "21.b"]
        );
        assert!(imported
            .warnings
            .iter()
            .any(|w| w.line == 1 && w.message.contains("only its sub-points")));
    }

    #[test]
    fn unreadable_input_is_an_error() {
        assert!(errors("no numbers here\n")[0]
            .message
            .contains("no numbered points"));
        assert!(errors("")[0].message.contains("no numbered points"));
        assert!(errors("1. a\0b\n")[0].message.contains("NUL"));
        match import_bytes(b"1. ok\n2. bad \xff\n", &ImportOptions::default()) {
            Err(Error::ImportDraft { diagnostics, .. }) => {
                assert_eq!((diagnostics[0].line, diagnostics[0].column), (2, 8));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn options_are_validated() {
        let bad = [
            ImportOptions {
                title: Some(" ".into()),
                ..ImportOptions::default()
            },
            ImportOptions {
                parties: vec!["A".into(), "A".into()],
                ..ImportOptions::default()
            },
            ImportOptions {
                parties: vec![" A".into()],
                ..ImportOptions::default()
            },
            ImportOptions {
                draft: DraftInfo {
                    label: Some("Bad Label".into()),
                    ..DraftInfo::default()
                },
                ..ImportOptions::default()
            },
            ImportOptions {
                draft: DraftInfo {
                    date: Some("2025-02-30".into()),
                    ..DraftInfo::default()
                },
                ..ImportOptions::default()
            },
        ];
        for options in bad {
            assert!(
                matches!(import("1. x\n", &options), Err(Error::Refused { .. })),
                "{options:?}"
            );
        }
        assert!(is_valid_date("2025-11-23"));
        assert!(!is_valid_date("2025-11-23T10:00:00"));
        assert!(!is_valid_date("23 Nov 2025"));
    }

    #[test]
    fn draft_from_file_passes_toml_through_and_imports_the_rest() {
        let toml = "[plan]\ntitle = \"T\"\n\n[[points]]\nnumber = \"1\"\ntext = \"x\"\n";
        let (out, w) = draft_from_file(toml.as_bytes(), "received.txt").unwrap();
        assert_eq!(out, toml);
        assert!(w.is_empty());
        // A .toml file is taken as it is, even when it is broken: commit
        // reports its errors.
        let (out, _) = draft_from_file(b"[plan\n", "x.toml").unwrap();
        assert_eq!(out, "[plan\n");
        let (out, w) = draft_from_file(b"Plan\n1. One.\n3. Three.\n", "received.txt").unwrap();
        let plan = Plan::parse(&out, "out.toml").unwrap();
        assert_eq!(plan.points.len(), 2);
        assert_eq!(w.len(), 1);
        assert!(matches!(
            draft_from_file(b"prose only\n", "received.md"),
            Err(Error::ImportDraft { .. })
        ));
        assert!(matches!(
            draft_from_file(b"\xff", "x.toml"),
            Err(Error::InvalidDraft { .. })
        ));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// Lines built from the pieces real drafts are made of, so that the
        /// parser's corners get visited far more often than with random text.
        fn line() -> impl Strategy<Value = String> {
            let marker = prop_oneof![
                Just(String::new()),
                (1u32..6).prop_map(|n| format!("{n}. ")),
                (1u32..6).prop_map(|n| format!("{n}) ")),
                (1u32..6).prop_map(|n| format!("({n}) ")),
                (1u32..6).prop_map(|n| format!("Point {n}: ")),
                (1u32..6).prop_map(|n| format!("Article {n} – ")),
                (1u32..6).prop_map(|n| format!("## {n}. ")),
                (1u32..6).prop_map(|n| format!("**{n}.** ")),
                (1u32..4, 1u32..4).prop_map(|(n, m)| format!("{n}.{m} ")),
                prop::sample::select(vec!["a) ", "(b) ", "c. ", "i) ", "(ii) ", "h) ", "iii. "])
                    .prop_map(String::from),
                prop::sample::select(vec!["- ", "• ", "* ", "# ", "> ", "   ", "\u{c}", "**"])
                    .prop_map(String::from),
            ];
            let body = prop_oneof![
                Just(String::new()),
                prop::sample::select(vec![
                    "The parties [shall][may] agree.",
                    "recon-",
                    "struction of the line",
                    "Page 2 of 9",
                    "- 3 -",
                    "7",
                    "HEADER",
                    "---",
                    "…",
                    "[",
                    "]",
                    "**",
                    "Title",
                    "a long line of text that goes on and on without any stop at all",
                ])
                .prop_map(String::from),
                "\\PC{0,30}",
            ];
            (marker, body).prop_map(|(m, b)| format!("{m}{b}"))
        }

        fn check(text: &str) -> std::result::Result<(), TestCaseError> {
            match import(text, &ImportOptions::default()) {
                Ok(imported) => {
                    let toml = imported.plan.to_toml();
                    let again = Plan::parse(&toml, "t.toml");
                    prop_assert!(again.is_ok(), "{toml}\n{again:?}");
                    prop_assert_eq!(again.ok(), Some(imported.plan));
                }
                Err(Error::ImportDraft { diagnostics, .. }) => {
                    prop_assert!(!diagnostics.is_empty());
                }
                Err(e) => prop_assert!(false, "unexpected error: {e}"),
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(crate::proptest_config(512))]

            #[test]
            fn never_panics_on_arbitrary_text(text in "\\PC*(\\n\\PC*){0,8}") {
                check(&text)?;
            }

            #[test]
            fn never_panics_on_draft_like_text(lines in prop::collection::vec(line(), 0..30)) {
                check(&lines.join("\n"))?;
            }

            #[test]
            fn never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
                let _ = import_bytes(&bytes, &ImportOptions::default());
                let _ = draft_from_file(&bytes, "x.txt");
            }
        }
    }
}
