//! A fast reader for drafts in the usual layout, in front of the full reader
//! of [`crate::plan`].
//!
//! [`read`] understands the TOML that drafts are written in — `[plan]`,
//! `[draft]` and `[[points]]` tables of `key = value` lines, the four kinds of
//! strings, an array of party names, a date, an inline table of positions,
//! comments — and checks every rule of the format. It answers `None` at the
//! first thing it is not sure of (an unusual construct, a syntax error, any
//! broken rule); [`crate::plan::Plan::parse`] then reads the file with the
//! full `toml_edit` reader, which gives the diagnostics. So the fast reader
//! only ever decides "valid, and this is the plan", and must give exactly the
//! plan the full reader gives; the tests hold it to that.
//!
//! Why: on a 10,000-point draft `toml_edit` builds a document that keeps every
//! span and decoration, at about 40 MB/s; this reader decodes at several
//! hundred MB/s, which is what keeps `treaty diff` near the cost of reading
//! the bytes.

use std::collections::HashSet;

use crate::brackets;
use crate::plan::{derive_status, is_valid_id, is_valid_label, DraftInfo, Plan, Point, Status};
use crate::words::FxBuild;

/// Reads a draft in the usual layout, or `None` when the full reader must
/// decide (unusual syntax, or anything invalid).
pub(crate) fn read(source: &str) -> Option<Plan> {
    let mut s = Scanner {
        b: source.as_bytes(),
        src: source,
        at: 0,
    };
    let mut doc = RawDoc::default();
    doc.points
        .reserve_exact(count_lines_starting(source.as_bytes(), POINT_HEADER));
    s.document(&mut doc, Section::Root)?;
    build(doc)
}

const POINT_HEADER: &[u8] = b"[[points]]";

/// How much of a file [`read_from`] holds at a time, at least.
pub(crate) const PIECE: usize = 1 << 20;

/// [`read`] of a whole file, a piece of about `piece` bytes at a time, cut
/// before a `[[points]]` line: a large draft is never held in memory whole
/// besides what is read from it. `Ok(None)` when the full reader must decide
/// (then it must read the file again), also past `limit` bytes. `size` is
/// what the file's size is thought to be.
pub(crate) fn read_from(
    file: &mut impl std::io::Read,
    size: u64,
    piece: usize,
    limit: u64,
) -> std::io::Result<Option<Plan>> {
    use std::io::Read;
    let mut doc = RawDoc::default();
    let mut buf: Vec<u8> = Vec::with_capacity(piece + piece / 4);
    let mut total = 0u64;
    let mut first = true;
    loop {
        let before = buf.len();
        file.by_ref().take(piece as u64).read_to_end(&mut buf)?;
        let got = buf.len() - before;
        total += got as u64;
        if total > limit {
            return Ok(None);
        }
        let end = got == 0;
        // The pieces end before the last `[[points]]` line read so far (or
        // at the end of the file); a point longer than a piece waits for
        // more. Only the bytes just read can hold a new such line (what was
        // kept from before holds none).
        const MARK: &[u8] = b"\n[[points]]";
        let cut = if end {
            buf.len()
        } else {
            let from = before.saturating_sub(MARK.len() - 1);
            match memchr::memmem::rfind(&buf[from..], MARK) {
                Some(at) => from + at + 1,
                None => continue,
            }
        };
        let Ok(text) = std::str::from_utf8(&buf[..cut]) else {
            return Ok(None);
        };
        let mut s = Scanner {
            b: text.as_bytes(),
            src: text,
            at: 0,
        };
        let headers = count_lines_starting(text.as_bytes(), POINT_HEADER);
        if first {
            // As many in the whole file, at this rate.
            let whole = (size as usize).max(cut);
            doc.points
                .reserve_exact(headers * whole / cut.max(1) + headers / 8 + 16);
        } else {
            doc.points.reserve(headers);
        }
        let section = if first { Section::Root } else { Section::Point };
        if s.document(&mut doc, section).is_none() {
            return Ok(None);
        }
        first = false;
        if end {
            break;
        }
        buf.drain(..cut);
    }
    Ok(build(doc))
}

/// How many lines of `b` start with `prefix`.
fn count_lines_starting(b: &[u8], prefix: &[u8]) -> usize {
    usize::from(b.starts_with(prefix))
        + b.windows(prefix.len() + 1)
            .filter(|w| w[0] == b'\n' && &w[1..] == prefix)
            .count()
}

/// Which table the lines belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Root,
    Plan,
    Draft,
    Point,
}

#[derive(Default)]
struct RawPoint {
    id: Option<String>,
    number: Option<String>,
    title: Option<String>,
    text: Option<String>,
    status: Option<String>,
    positions: Option<Vec<(String, String)>>,
    notes: Option<String>,
}

#[derive(Default)]
struct RawDoc {
    plan_seen: bool,
    draft_seen: bool,
    title: Option<String>,
    parties: Option<Vec<String>>,
    label: Option<String>,
    date: Option<String>,
    source: Option<String>,
    provenance: Option<String>,
    points: Vec<RawPoint>,
}

struct Scanner<'s> {
    src: &'s str,
    b: &'s [u8],
    at: usize,
}

/// Sets a key once; a second value for the same key is a TOML error, which
/// the full reader reports.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

impl<'s> Scanner<'s> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// The end of a line: optional white space and comment, then a line
    /// break or the end of the file.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_ws();
        match self.peek() {
            None => Some(()),
            Some(b'#') => {
                self.comment()?;
                self.newline()
            }
            Some(_) => self.newline(),
        }
    }

    /// A comment, up to (not including) its line break.
    fn comment(&mut self) -> Option<()> {
        self.at += 1;
        while let Some(c) = self.peek() {
            match c {
                b'\n' | b'\r' => return Some(()),
                _ if is_forbidden(self.b, self.at) => return None,
                _ => self.at += 1,
            }
        }
        Some(())
    }

    /// A line break (`\n` or `\r\n`) or the end of the file.
    fn newline(&mut self) -> Option<()> {
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.at += 1;
                Some(())
            }
            Some(b'\r') if self.b.get(self.at + 1) == Some(&b'\n') => {
                self.at += 2;
                Some(())
            }
            _ => None,
        }
    }

    /// Reads tables into `doc`, starting in `section` (a piece of a file
    /// after the first starts with a `[[points]]` line).
    fn document(&mut self, doc: &mut RawDoc, mut section: Section) -> Option<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                None => break,
                Some(b'\n' | b'\r') => self.newline()?,
                Some(b'#') => {
                    self.comment()?;
                    self.newline()?;
                }
                Some(b'[') => {
                    section = self.header()?;
                    match section {
                        Section::Plan if doc.plan_seen => return None,
                        Section::Plan => doc.plan_seen = true,
                        Section::Draft if doc.draft_seen => return None,
                        Section::Draft => doc.draft_seen = true,
                        Section::Point => doc.points.push(RawPoint::default()),
                        Section::Root => return None,
                    }
                    self.end_of_line()?;
                }
                Some(_) => {
                    self.key_value(section, doc)?;
                    self.end_of_line()?;
                }
            }
        }
        Some(())
    }

    /// `[plan]`, `[draft]` or `[[points]]`, written exactly so.
    fn header(&mut self) -> Option<Section> {
        let rest = &self.b[self.at..];
        for (text, section) in [
            (&b"[[points]]"[..], Section::Point),
            (b"[plan]", Section::Plan),
            (b"[draft]", Section::Draft),
        ] {
            if rest.starts_with(text) {
                self.at += text.len();
                return Some(section);
            }
        }
        None
    }

    /// A key: bare, or quoted without escapes.
    fn key(&mut self) -> Option<&'s str> {
        let start = self.at;
        match self.peek()? {
            q @ (b'"' | b'\'') => {
                self.at += 1;
                let from = self.at;
                loop {
                    match self.peek()? {
                        c if c == q => break,
                        b'\\' => return None,
                        _ if is_forbidden(self.b, self.at) => return None,
                        b'\n' | b'\r' => return None,
                        _ => self.at += 1,
                    }
                }
                let key = &self.src[from..self.at];
                self.at += 1;
                Some(key)
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                {
                    self.at += 1;
                }
                (self.at > start).then(|| &self.src[start..self.at])
            }
        }
    }

    fn key_value(&mut self, section: Section, doc: &mut RawDoc) -> Option<()> {
        let key = self.key()?;
        self.skip_ws();
        if self.peek()? != b'=' {
            return None; // a dotted key, or a syntax error
        }
        self.at += 1;
        self.skip_ws();
        match (section, key) {
            (Section::Plan, "title") => once(&mut doc.title, self.string()?),
            (Section::Plan, "parties") => once(&mut doc.parties, self.strings()?),
            (Section::Draft, "label") => once(&mut doc.label, self.string()?),
            (Section::Draft, "date") => once(&mut doc.date, self.date()?),
            (Section::Draft, "source") => once(&mut doc.source, self.string()?),
            (Section::Draft, "provenance") => once(&mut doc.provenance, self.string()?),
            (Section::Point, _) => {
                let p = doc.points.last_mut()?;
                match key {
                    "id" => once(&mut p.id, self.string()?),
                    "number" => once(&mut p.number, self.string()?),
                    "title" => once(&mut p.title, self.string()?),
                    "text" => once(&mut p.text, self.string()?),
                    "status" => once(&mut p.status, self.string()?),
                    "notes" => once(&mut p.notes, self.string()?),
                    "positions" => once(&mut p.positions, self.positions()?),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Any of the four kinds of TOML string.
    fn string(&mut self) -> Option<String> {
        let rest = &self.b[self.at..];
        if rest.starts_with(b"\"\"\"") {
            self.at += 3;
            self.multiline(b'"')
        } else if rest.starts_with(b"'''") {
            self.at += 3;
            self.multiline(b'\'')
        } else if rest.first() == Some(&b'"') {
            self.at += 1;
            self.basic()
        } else if rest.first() == Some(&b'\'') {
            self.at += 1;
            self.literal()
        } else {
            None
        }
    }

    /// Skips bytes that need no attention inside a string, eight at a time
    /// where none of the eight is [`SPECIAL`] or a tab.
    fn plain_run(&mut self) {
        let b = self.b;
        let mut at = self.at;
        loop {
            while let Some(word) = b.get(at..at + 8) {
                let mut w = [0u8; 8];
                w.copy_from_slice(word);
                if may_be_special(u64::from_le_bytes(w)) {
                    break;
                }
                at += 8;
            }
            let end = (at + 8).min(b.len());
            while at < end {
                if SPECIAL[usize::from(b[at])] {
                    self.at = at;
                    return;
                }
                at += 1;
            }
            if at >= b.len() {
                self.at = at;
                return;
            }
        }
    }

    /// A basic string after its opening quote.
    fn basic(&mut self) -> Option<String> {
        let mut out = String::new();
        let mut from = self.at;
        loop {
            self.plain_run();
            match self.peek()? {
                b'"' => {
                    out.push_str(&self.src[from..self.at]);
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&self.src[from..self.at]);
                    self.escape(&mut out)?;
                    from = self.at;
                }
                b'\n' | b'\r' => return None,
                _ if is_forbidden(self.b, self.at) => return None,
                _ => self.at += 1,
            }
        }
    }

    /// A literal string after its opening quote.
    fn literal(&mut self) -> Option<String> {
        let from = self.at;
        loop {
            self.plain_run();
            match self.peek()? {
                b'\'' => {
                    let out = self.src[from..self.at].to_string();
                    self.at += 1;
                    return Some(out);
                }
                b'\n' | b'\r' => return None,
                _ if is_forbidden(self.b, self.at) => return None,
                _ => self.at += 1,
            }
        }
    }

    /// A multi-line string after its opening delimiter: `"""` (with escapes)
    /// or `'''` (without).
    fn multiline(&mut self, quote: u8) -> Option<String> {
        // A line break right after the opening delimiter is not content.
        if self.peek() == Some(b'\n') {
            self.at += 1;
        } else if self.b[self.at..].starts_with(b"\r\n") {
            return None;
        }
        let mut out = String::new();
        let mut from = self.at;
        loop {
            self.plain_run();
            match self.peek()? {
                c if c == quote => {
                    let run = self.b[self.at..]
                        .iter()
                        .take_while(|&&x| x == quote)
                        .count();
                    if run < 3 {
                        self.at += run;
                        continue;
                    }
                    if run > 5 {
                        return None;
                    }
                    // Up to two quotes just inside the closing delimiter
                    // are content.
                    let end = self.at + run - 3;
                    out.push_str(&self.src[from..end]);
                    self.at += run;
                    return Some(out);
                }
                b'\\' if quote == b'"' => {
                    out.push_str(&self.src[from..self.at]);
                    if self.line_ending_backslash() {
                        // Trimmed with the white space that follows.
                    } else {
                        self.escape(&mut out)?;
                    }
                    from = self.at;
                }
                b'\n' => self.at += 1,
                // Carriage returns in multi-line strings: left to the full
                // reader.
                b'\r' => return None,
                _ if is_forbidden(self.b, self.at) => return None,
                _ => self.at += 1,
            }
        }
    }

    /// At a `\` that ends its line (white space allowed before the break):
    /// skips it and all white space and line breaks after it.
    fn line_ending_backslash(&mut self) -> bool {
        let mut k = self.at + 1;
        while matches!(self.b.get(k), Some(b' ' | b'\t')) {
            k += 1;
        }
        if self.b.get(k) != Some(&b'\n') {
            return false;
        }
        while matches!(self.b.get(k), Some(b' ' | b'\t' | b'\n')) {
            k += 1;
        }
        self.at = k;
        true
    }

    /// An escape sequence of TOML 1.0 (at its `\`), decoded into `out`.
    fn escape(&mut self, out: &mut String) -> Option<()> {
        let c = *self.b.get(self.at + 1)?;
        self.at += 2;
        match c {
            b'b' => out.push('\u{8}'),
            b't' => out.push('\t'),
            b'n' => out.push('\n'),
            b'f' => out.push('\u{c}'),
            b'r' => out.push('\r'),
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'u' | b'U' => {
                let n = if c == b'u' { 4 } else { 8 };
                let hex = self.src.get(self.at..self.at + n)?;
                if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                    return None;
                }
                let code = u32::from_str_radix(hex, 16).ok()?;
                out.push(char::from_u32(code)?);
                self.at += n;
            }
            _ => return None,
        }
        Some(())
    }

    /// An array of strings; white space, line breaks, comments and a
    /// trailing comma allowed.
    fn strings(&mut self) -> Option<Vec<String>> {
        if self.peek()? != b'[' {
            return None;
        }
        self.at += 1;
        let mut out = Vec::new();
        loop {
            self.array_space()?;
            match self.peek()? {
                b']' => {
                    self.at += 1;
                    return Some(out);
                }
                _ => out.push(self.string()?),
            }
            self.array_space()?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    /// White space, line breaks and comments inside an array.
    fn array_space(&mut self) -> Option<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'\n' | b'\r') => self.newline()?,
                Some(b'#') => self.comment()?,
                _ => return Some(()),
            }
        }
    }

    /// A local date, `YYYY-MM-DD`, as the full reader writes it back.
    fn date(&mut self) -> Option<String> {
        let token = self.src.get(self.at..self.at + 10)?;
        let b = token.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
            return None;
        }
        // A time or anything else after the date: the full reader decides.
        if !matches!(
            self.b.get(self.at + 10),
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'#')
        ) {
            return None;
        }
        let num = |r: std::ops::Range<usize>| token[r].parse::<u32>().ok();
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days {
            return None;
        }
        let dt: toml_edit::Datetime = token.parse().ok()?;
        if dt.time.is_some() || dt.offset.is_some() {
            return None;
        }
        self.at += 10;
        // After white space, only a comment or the end of the line (a time
        // separated by a space is left to the full reader).
        self.skip_ws();
        if !matches!(self.peek(), None | Some(b'\n' | b'\r' | b'#')) {
            return None;
        }
        Some(dt.date?.to_string())
    }

    /// `{ Party = "accept", "Other party" = "reject" }` on one line.
    fn positions(&mut self) -> Option<Vec<(String, String)>> {
        if self.peek()? != b'{' {
            return None;
        }
        self.at += 1;
        self.skip_ws();
        let mut out: Vec<(String, String)> = Vec::new();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(out);
        }
        // Each party once: checked as the table ends.
        let once = |out: &[(String, String)]| {
            let mut keys: HashSet<&str, FxBuild> = HashSet::default();
            out.iter().all(|(k, _)| keys.insert(k))
        };
        loop {
            self.skip_ws();
            let key = self.key()?;
            self.skip_ws();
            if self.peek()? != b'=' {
                return None;
            }
            self.at += 1;
            self.skip_ws();
            let value = self.string()?;
            out.push((key.to_string(), value));
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return once(&out).then_some(out);
                }
                _ => return None,
            }
        }
    }
}

/// Bytes a string reader must look at: quotes, backslashes, control
/// characters and line breaks, DEL, and the lead byte of U+0080–U+00BF.
/// Whether any of eight bytes may be [`SPECIAL`]: a control byte (or a
/// tab), DEL, 0xC2, a quote, an apostrophe or a backslash.
fn may_be_special(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = ONES * 0x80;
    // Whether some byte of `v` is below `n` (`n` ≤ 0x80): exact as a yes or no.
    let below = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGHS != 0;
    let has = |c: u8| below(x ^ (ONES * u64::from(c)), 1);
    below(x, 0x20) || has(0x7f) || has(0xc2) || has(b'"') || has(b'\'') || has(b'\\')
}

const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = c != 0x09;
        c += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// A character TOML does not allow in strings or comments here: control
/// characters other than tab (line breaks are handled by the callers), DEL,
/// and the C1 controls U+0080–U+009F (left to the full reader).
fn is_forbidden(b: &[u8], at: usize) -> bool {
    match b[at] {
        b'\t' => false,
        c if c < 0x20 || c == 0x7f => true,
        0xc2 => b.get(at + 1).is_some_and(|&n| (0x80..0xa0).contains(&n)),
        _ => false,
    }
}

/// Checks every rule of the format on what was read, as the full reader
/// does; `None` at the first broken rule.
fn build(raw: RawDoc) -> Option<Plan> {
    if !raw.plan_seen || raw.points.is_empty() {
        return None;
    }
    let title = match raw.title {
        Some(t) if t.trim().is_empty() => return None,
        t => t,
    };
    let parties = raw.parties.unwrap_or_default();
    let mut seen: HashSet<&str> = HashSet::with_capacity(parties.len());
    for p in &parties {
        if p.trim().is_empty() || p.trim() != p || !seen.insert(p.as_str()) {
            return None;
        }
    }
    if raw.label.as_deref().is_some_and(|l| !is_valid_label(l)) {
        return None;
    }
    let provenance = match raw.provenance {
        Some(word) => Some(word.parse().ok()?),
        None => None,
    };
    let draft = DraftInfo {
        label: raw.label,
        date: raw.date,
        source: raw.source,
        provenance,
    };
    let mut points = Vec::with_capacity(raw.points.len());
    for p in raw.points {
        let number = p.number?;
        let text = p.text?;
        if number.trim().is_empty()
            || number.trim() != number
            || number.contains(char::is_control)
            || text.trim().is_empty()
            || brackets::spans(&text).is_err()
        {
            return None;
        }
        if p.id.as_deref().is_some_and(|id| !is_valid_id(id)) {
            return None;
        }
        let explicit_status: Option<Status> = match p.status {
            Some(word) => Some(word.parse().ok()?),
            None => None,
        };
        let mut positions = Vec::new();
        for (party, word) in p.positions.unwrap_or_default() {
            if !seen.contains(party.as_str()) {
                return None;
            }
            positions.push((party, word.parse().ok()?));
        }
        let status = match (explicit_status, derive_status(&parties, &positions)) {
            (Some(given), Some(derived)) if given != derived => return None,
            (_, Some(derived)) => derived,
            (Some(given), None) => given,
            (None, None) => Status::Open,
        };
        if status == Status::Agreed && brackets::count_open(&text) > 0 {
            return None;
        }
        points.push(Point {
            id: p.id,
            number,
            title: p.title,
            text,
            status,
            explicit_status,
            positions,
            notes: p.notes,
        });
    }
    // Numbers and ids are unique.
    let mut numbers: HashSet<&str, FxBuild> = HashSet::default();
    numbers.reserve(points.len());
    let mut ids: HashSet<&str, FxBuild> = HashSet::default();
    for p in &points {
        if !numbers.insert(&p.number) || p.id.as_deref().is_some_and(|id| !ids.insert(id)) {
            return None;
        }
    }
    drop((numbers, ids));
    Some(Plan {
        title,
        parties,
        draft,
        points,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn eight_byte_check_sees_every_special_byte() {
        use super::{may_be_special, SPECIAL};
        assert!(!may_be_special(u64::from_le_bytes(*b"abcdefgh")));
        for c in 0..=255u8 {
            for k in 0..8 {
                let mut w = *b"plain ok";
                w[k] = c;
                let x = u64::from_le_bytes(w);
                if SPECIAL[usize::from(c)] || c == b'\t' {
                    assert!(may_be_special(x), "byte {c:#x} at {k}");
                }
            }
        }
    }

    use super::*;
    use proptest::prelude::*;

    /// The full reader alone.
    fn full(src: &str) -> crate::Result<Plan> {
        crate::plan::parse_full(src, "t.toml")
    }

    /// The fast reader never disagrees with the full one.
    fn agrees(src: &str) -> Result<bool, TestCaseError> {
        match read(src) {
            Some(fast) => {
                let slow = full(src);
                prop_assert!(
                    slow.is_ok(),
                    "fast accepted what full rejects:\n{src}\n{slow:?}"
                );
                prop_assert_eq!(&fast, &slow.unwrap_or_default(), "{}", src);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn check(src: &str) -> bool {
        agrees(src).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_the_usual_layout() {
        let src = r#"# A draft
[plan]
title = "Peace plan"   # the title
parties = [
  "US", # first
  'Ukraine',
  "Russia",
]

[draft]
label = "geneva"
date = 2025-11-23
source = """
Text agreed
in Geneva"""
provenance = "reported"

[[points]]
id = "sovereignty"
number = "1"
title = "Sovereignty"
text = "Ukraine's sovereignty will be \"confirmed\" \u00e9."
positions = { US = "accept", "Ukraine" = "accept", Russia = "reserve" }
notes = '''
Don't "quote" me'''

[[points]]
number = "2"
text = """The line [shall][may] be \
      frozen.  """
status = "disputed"
"#;
        assert!(check(src));
        let plan = read(src).unwrap();
        assert_eq!(plan.points[1].text, "The line [shall][may] be frozen.  ");
        assert_eq!(plan.draft.date.as_deref(), Some("2025-11-23"));
        assert_eq!(plan.draft.source.as_deref(), Some("Text agreed\nin Geneva"));
        assert_eq!(plan.points[0].status, Status::Open);
    }

    #[test]
    fn takes_the_full_reader_for_anything_unusual() {
        for src in [
            "[plan]\n[[points]]\nnumber = \"1\"\ntext = \"a\"\nstauts = \"open\"\n",
            "[plan]\n[[points]]\nnumber = \"1\"\ntext = \"a\"\n[[points]]\nnumber = \"1\"\ntext = \"b\"\n",
            "[plan]\n[[points]]\nnumber = \"1\"\ntext = \"a [b\"\n",
            "[plan]\n[[points]]\nnumber = 1\ntext = \"a\"\n",
            "[plan]\n[[points]]\nnumber = \"1\"\ntext = \"a\"\ntext = \"b\"\n",
            "[plan]\n[[points]]\nnumber = \"1\"\ntext = \"a\\e\"\n",
            "[plan]\n[ plan ]\n[[points]]\nnumber = \"1\"\ntext = \"a\"\n",
            "[plan]\n[points.x]\n",
            "[plan]\nparties = [\"A\"]\n[[points]]\nnumber = \"1\"\ntext = \"a\"\npositions = { B = \"accept\" }\n",
            "[plan]\nparties = [\"A\"]\n[[points]]\nnumber = \"1\"\ntext = \"a\"\npositions.A = \"accept\"\n",
            "[plan]\n[draft]\ndate = 2025-02-29\n[[points]]\nnumber = \"1\"\ntext = \"a\"\n",
            "[plan]\n[draft]\ndate = 2025-02-28 10:00:00\n[[points]]\nnumber = \"1\"\ntext = \"a\"\n",
            "[plan]\n[[points]]\nnumber = \"1\"\ntext = \"a\u{7}\"\n",
            "[plan]\n[[points]]\nnumber = \"1\"\ntext = \"a\"\r\r\n",
            "[plan]\n",
            "",
        ] {
            assert!(!check(src), "{src}");
        }
    }

    #[test]
    fn canonical_output_takes_the_fast_path() {
        for seed in 1..4 {
            let pair = crate::synth::generate(&crate::synth::Options {
                points: 200,
                seed,
                ..Default::default()
            });
            for plan in [&pair.from, &pair.to] {
                let mut plan = plan.clone();
                plan.points[0].notes = Some("line one\nline \"two\" 'x'".into());
                plan.points[1].title = Some("It's \"quoted\"".into());
                plan.points[2].id = Some("p-3".into());
                plan.draft.date = Some("2024-02-29".into());
                let src = plan.to_toml();
                assert!(check(&src), "fast path not taken");
                assert_eq!(read(&src).as_ref(), Some(&plan));
            }
        }
    }

    #[test]
    fn shipped_plans_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plans");
        let mut stack = vec![root];
        let mut n = 0;
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|x| x == "toml") {
                    let src = std::fs::read_to_string(&path).unwrap_or_default();
                    check(&src);
                    n += 1;
                }
            }
        }
        assert!(n > 0);
    }

    /// Pieces of drafts, valid and not, usual and unusual.
    fn piece() -> impl Strategy<Value = String> {
        let value = prop::sample::select(vec![
            "\"plain\"",
            "\"\"",
            "''",
            "'lit \"x\"'",
            "\"esc \\\" \\\\ \\n \\t \\u00e9 \\U0001F600\"",
            "\"bad \\q\"",
            "\"\\uD800\"",
            "\"\"\"\nml \"\" x\"\"\"",
            "\"\"\"ml\\\n   cont\"\"\"\"\"",
            "\"\"\"\r\ncr\"\"\"",
            "'''\nlit ml'''",
            "''''''",
            "\"[open\"",
            "\"[a][b] c\"",
            "\"a]\"",
            "\" \"",
            "\" 1\"",
            "1",
            "true",
            "[\"A\", \"B\"]",
            "[ 'A' , # c\n \"C\", ]",
            "[]",
            "[\"A\", \"A\"]",
            "[\" A\"]",
            "{ A = \"accept\", B = \"accept\" }",
            "{ A = \"reject\" }",
            "{ \"B\" = \"reserve\" }",
            "{ A = \"accept\", }",
            "{}",
            "{ C = \"accept\" }",
            "{ A = \"yes\" }",
            "\"agreed\"",
            "\"disputed\"",
            "\"open\"",
            "\"leaked\"",
            "\"ok-id\"",
            "\"Bad Id\"",
            "\"v1.2\"",
            "2025-11-23",
            "2024-02-30",
            "2025-11-23T10:00:00",
            "\"2025-11-23\"",
        ]);
        let key = prop::sample::select(vec![
            "number",
            "text",
            "title",
            "id",
            "status",
            "positions",
            "notes",
            "parties",
            "label",
            "date",
            "source",
            "provenance",
            "\"text\"",
            "stauts",
            "a.b",
        ]);
        let space = prop::sample::select(vec!["", " ", "\t", "  "]);
        let tail = prop::sample::select(vec!["", " # note", "#", " # é", "\r", " x"]);
        prop_oneof![
            3 => (key, space.clone(), space, value, tail).prop_map(|(k, s1, s2, v, t)| format!("{k}{s1}={s2}{v}{t}\n")),
            1 => prop::sample::select(vec![
                "[plan]\n", "[draft]\n", "[[points]]\n", "[[points]] # p\n", "[ plan ]\n",
                "[points.x]\n", "\n", "# comment\n", "\r\n", "junk\n",
            ]).prop_map(str::to_string),
        ]
    }

    /// Mostly well-formed drafts, with some pieces thrown in.
    fn draft() -> impl Strategy<Value = String> {
        let point = (
            0u32..40,
            prop::sample::select(vec![
                "Elections in 100 days.",
                "The line [shall][may] be frozen.",
                "Troops \\\"withdraw\\\".",
                "Amnesty for all",
            ]),
            prop::option::of(prop::sample::select(vec![
                "positions = { A = \"accept\", B = \"accept\" }",
                "positions = { A = \"reject\" }",
                "status = \"disputed\"",
                "status = \"agreed\"",
                "id = \"x\"",
            ])),
        )
            .prop_map(|(n, text, extra)| {
                let mut s = format!("[[points]]\nnumber = \"{n}\"\ntext = \"{text}\"\n");
                if let Some(e) = extra {
                    s.push_str(e);
                    s.push('\n');
                }
                s
            });
        (
            prop::collection::vec(point, 0..6),
            prop::collection::vec(piece(), 0..4),
            prop::collection::vec(any::<prop::sample::Index>(), 4),
        )
            .prop_map(|(points, pieces, at)| {
                let mut parts: Vec<String> = vec!["[plan]\nparties = [\"A\", \"B\"]\n".to_string()];
                parts.extend(points);
                for (k, p) in pieces.into_iter().enumerate() {
                    let i = at[k].index(parts.len() + 1);
                    parts.insert(i, p);
                }
                parts.concat()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn fast_and_full_readers_agree(src in draft()) {
            agrees(&src)?;
        }

        #[test]
        fn fast_and_full_readers_agree_on_loose_pieces(pieces in prop::collection::vec(piece(), 0..12)) {
            agrees(&pieces.concat())?;
        }

        /// Read a piece at a time, a draft gives what it gives read whole;
        /// where a cut falls inside a table or string, the full reader is
        /// left to decide.
        #[test]
        fn pieces_read_as_the_whole(src in draft(), piece in 1usize..200) {
            let whole = read(&src);
            let pieces = read_from(&mut src.as_bytes(), src.len() as u64, piece, u64::MAX)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            if let Some(p) = &pieces {
                prop_assert_eq!(Some(p), whole.as_ref(), "{}", src);
            }
            if whole.is_some() && !src.contains("\n[[points]]\n\"\"\"") {
                prop_assert!(pieces.is_some(), "{}", src);
            }
        }
    }

    #[test]
    fn pieces_stop_past_the_limit() {
        let src = "[plan]\n[[points]]\nnumber = \"1\"\ntext = \"A.\"\n";
        assert!(read_from(&mut src.as_bytes(), 0, 8, 10).unwrap().is_none());
        assert!(read_from(&mut src.as_bytes(), 0, 8, 1000)
            .unwrap()
            .is_some());
        // A cut inside a multi-line string: the full reader decides.
        let tricky = "[plan]\n[[points]]\nnumber = \"1\"\ntext = \"\"\"A\n[[points]]\nB\"\"\"\n";
        assert!(read_from(&mut tricky.as_bytes(), 0, 4, u64::MAX)
            .unwrap()
            .is_none());
        assert!(read(tricky).is_some());
    }
}
