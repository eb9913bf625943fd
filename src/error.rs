//! The library's error type. Every variant carries what a user needs to find the
//! problem: the file, the plan, the revision, the line. The binary maps each
//! variant to an exit status with [`Error::exit_code`].

use std::fmt;
use std::path::PathBuf;

/// A located problem in a draft file: what is wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line number (0 when the problem concerns the whole file).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The offending line, as written (empty when `line` is 0).
    pub source_line: String,
    /// How many characters from `column` the marker covers (at least 1); for
    /// a whole-file diagnostic, 0, or the number of errors it stands for (see
    /// [`Diagnostic::omitted`]).
    pub width: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic pointing at byte range `span` of `source`.
    pub fn at(source: &str, span: std::ops::Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = source[..line_start].matches('\n').count() + 1;
        Diagnostic::on_line(source, line, line_start, span, message)
    }

    /// Like [`Diagnostic::at`], finding the line through `lines` (built once
    /// for `source`): many diagnostics on a large file stay linear.
    pub fn at_indexed(
        source: &str,
        lines: &LineIndex,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let (line, line_start) = lines.locate(start);
        Diagnostic::on_line(source, line, line_start, span, message)
    }

    fn on_line(
        source: &str,
        line: usize,
        line_start: usize,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let column = source[line_start..start].chars().count() + 1;
        let width = source[start..end.min(line_end).max(start)]
            .chars()
            .count()
            .max(1);
        Diagnostic {
            line,
            column,
            source_line: source[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
            width,
            message: message.into(),
            help: None,
        }
    }

    /// A diagnostic about the whole file (no line to point at).
    pub fn whole_file(message: impl Into<String>) -> Self {
        Diagnostic {
            line: 0,
            column: 0,
            source_line: String::new(),
            width: 0,
            message: message.into(),
            help: None,
        }
    }

    /// Stands for `n` further errors, found but not shown (a hostile file can
    /// hold hundreds of thousands).
    pub fn omitted(n: usize) -> Self {
        Diagnostic {
            width: n,
            ..Diagnostic::whole_file(format!(
                "… and {n} more {} not shown",
                if n == 1 { "error" } else { "errors" }
            ))
        }
        .help("fix the errors above first, then check again")
    }

    /// How many errors this diagnostic stands for: 1, or `n` for
    /// [`Diagnostic::omitted`].
    pub fn count(&self) -> usize {
        if self.line == 0 && self.width > 0 {
            self.width
        } else {
            1
        }
    }

    /// Adds how to fix it.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic for `file`, compiler style:
    ///
    /// ```text
    /// error: plans/x.toml:12:1: unknown key `stauts` in a point
    ///    |
    /// 12 | stauts = "agreed"
    ///    | ^^^^^^
    ///    = help: did you mean `status`?
    /// ```
    pub fn render(&self, file: &str) -> String {
        // Everything here may come from the file (its name, its text, a party
        // named in a message or a hint): none of it reaches a terminal raw.
        let file = printable(file);
        let message = printable(&clip(&self.message));
        let mut out = String::new();
        if self.line == 0 {
            out.push_str(&format!("{file}: {message}\n"));
        } else {
            out.push_str(&format!(
                "{file}:{}:{}: {message}\n",
                self.line, self.column
            ));
            let gutter = self.line.to_string().len();
            let (shown, pad, width) = self.window();
            out.push_str(&format!("{:gutter$} |\n", ""));
            out.push_str(&format!("{} | {}\n", self.line, shown));
            out.push_str(&format!("{:gutter$} | {}{}\n", "", pad, "^".repeat(width)));
        }
        if let Some(help) = &self.help {
            let help = printable(&clip(help));
            if self.line == 0 {
                out.push_str(&format!("  = help: {help}\n"));
            } else {
                let gutter = self.line.to_string().len();
                out.push_str(&format!("{:gutter$} = help: {help}\n", ""));
            }
        }
        out
    }

    /// The part of the source line to show (at most [`SHOWN_CHARS`] characters
    /// around the column, `…` marking what is cut), the padding that puts the
    /// marker under the column, and the marker's width.
    fn window(&self) -> (String, String, usize) {
        let total = self.source_line.chars().count();
        let col = self.column.saturating_sub(1).min(total);
        let (from, to) = if total <= SHOWN_CHARS {
            (0, total)
        } else {
            let from = col.saturating_sub(SHOWN_CHARS / 3).min(total - SHOWN_CHARS);
            (from, from + SHOWN_CHARS)
        };
        let window: String = self
            .source_line
            .chars()
            .skip(from)
            .take(to - from)
            .collect();
        let mut shown = String::new();
        let mut pad = String::new();
        if from > 0 {
            shown.push('…');
            pad.push(' ');
        }
        shown.push_str(&printable(&window));
        if to < total {
            shown.push('…');
        }
        pad.extend(
            window
                .chars()
                .take(col - from)
                .map(|c| if c == '\t' { '\t' } else { ' ' }),
        );
        let width = self.width.clamp(1, (to - col).max(1));
        (shown, pad, width)
    }
}

/// How many characters of a source line a rendered diagnostic shows at most: a
/// draft written on one 10 MB line is not echoed whole.
pub const SHOWN_CHARS: usize = 120;

/// A message or hint cut to 500 characters: it may quote a key or a name of
/// any length from the file.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 500;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &text[..i]).into(),
        None => text.into(),
    }
}

/// Where each line of a text starts, so that finding the line of an offset is
/// a binary search rather than a count of every newline before it.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `source`.
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`, and the byte where that line
    /// starts.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        (line, self.starts[line - 1])
    }
}

/// Replaces control characters (terminal escapes among them) with visible
/// stand-ins, so that nothing read from a file is echoed raw to a terminal.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_printable(&mut out, text);
    out
}

/// [`printable`], appended to `out`.
pub fn push_printable(out: &mut String, text: &str) {
    // Control characters are C0 (bytes below 0x20), DEL, and C1 (U+0080 to
    // U+009F, led by byte 0xC2): text with none of these bytes but tabs and
    // line breaks is copied as it is.
    let plain = !text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2);
    if plain {
        out.push_str(text);
        return;
    }
    out.extend(text.chars().map(|c| match c {
        '\t' | '\n' => c,
        c if c.is_control() => char::from_u32(0x2400 + (c as u32 & 0x1f)).unwrap_or('\u{fffd}'),
        c => c,
    }));
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Everything that can go wrong in `treaty`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file could not be written.
    WriteFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A draft has one or more problems; `file` is how the user named it.
    InvalidDraft {
        file: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// A plain-text or markdown draft could not be imported (`treaty import`);
    /// `file` is how the user named it.
    ImportDraft {
        file: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// A plan name that does not match `[a-z0-9][a-z0-9_-]{0,63}`.
    InvalidPlanName { name: String },
    /// No plan of this name exists in the repository.
    UnknownPlan { name: String, known: Vec<String> },
    /// A revision reference that names nothing.
    UnknownRevision {
        plan: String,
        rev: String,
        known: String,
    },
    /// A point reference that names no point.
    UnknownPoint {
        plan: String,
        point: String,
        hint: String,
    },
    /// No git repository where one is needed.
    NoRepository { path: PathBuf },
    /// The user asked for something that cannot be done as asked (exit 2).
    Refused {
        message: String,
        help: Option<String>,
    },
    /// A git operation failed (exit 3).
    Repository { context: String, message: String },
    /// A lock file of the repository is held by another process (exit 3).
    Locked {
        /// What could not be updated: "the branch refs/heads/main", "the index".
        what: String,
        /// The lock file.
        path: PathBuf,
    },
    /// A bug or an environment failure (exit 3).
    Internal { message: String },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A refusal with a hint on what to do instead.
    pub fn refused(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Refused {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// The process exit status for this error: 2 for bad input, 3 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Repository { .. }
            | Error::Locked { .. }
            | Error::Internal { .. }
            | Error::WriteFile { .. } => 3,
            _ => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The io error itself is shown as `caused by:`.
            Error::ReadFile { path, .. } => write!(f, "cannot read {}", path.display()),
            Error::WriteFile { path, .. } => write!(f, "cannot write {}", path.display()),
            Error::InvalidDraft { file, diagnostics } => {
                let n: usize = diagnostics.iter().map(Diagnostic::count).sum();
                let file = printable(file);
                write!(
                    f,
                    "{file} is not a valid draft ({n} {})",
                    if n == 1 { "error" } else { "errors" }
                )?;
                for d in diagnostics {
                    write!(f, "\n{}", d.render(&file).trim_end())?;
                }
                Ok(())
            }
            Error::ImportDraft { file, diagnostics } => {
                let n = diagnostics.len();
                write!(
                    f,
                    "cannot import {file} ({n} {}); nothing was written",
                    if n == 1 { "problem" } else { "problems" }
                )?;
                for d in diagnostics {
                    write!(f, "\n{}", d.render(file).trim_end())?;
                }
                Ok(())
            }
            Error::InvalidPlanName { name } => write!(
                f,
                "invalid plan name '{}': a name is 1 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit",
                printable(name)
            ),
            Error::UnknownPlan { name, known } => {
                write!(f, "no plan named '{}'", printable(name))?;
                if known.is_empty() {
                    write!(f, " (this repository has no plans yet: create plans/{name}.toml and run `treaty commit {name}`)")
                } else {
                    write!(f, " (plans: {})", known.join(", "))
                }
            }
            Error::UnknownRevision { plan, rev, known } => {
                write!(f, "unknown revision '{}' of plan '{plan}': {known}", printable(rev))
            }
            Error::UnknownPoint { plan, point, hint } => {
                write!(f, "plan '{plan}' has no point '{}'", printable(point))?;
                if !hint.is_empty() {
                    write!(f, " ({hint})")?;
                }
                Ok(())
            }
            Error::NoRepository { path } => write!(
                f,
                "no git repository at or above {} (run `treaty init` there, or name one with --repo DIR)",
                path.display()
            ),
            Error::Refused { message, help } => {
                write!(f, "{message}")?;
                if let Some(help) = help {
                    write!(f, "\n  = help: {help}")?;
                }
                Ok(())
            }
            Error::Repository { context, message } => write!(f, "{context}: {message}"),
            Error::Locked { what, path } => write!(
                f,
                "cannot update {what}: it is locked by another process ({} exists); nothing was recorded\n  = help: wait for the other git process to finish and try again; if none is running, the lock is stale: remove it with `rm '{}'`",
                path.display(),
                path.display()
            ),
            Error::Internal { message } => write!(f, "internal error: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::ReadFile { source, .. } | Error::WriteFile { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_points_at_line_and_column() {
        let src = "a = 1\nstauts = \"x\"\n";
        let d = Diagnostic::at(src, 6..12, "unknown key").help("did you mean `status`?");
        assert_eq!((d.line, d.column, d.width), (2, 1, 6));
        assert_eq!(d.source_line, "stauts = \"x\"");
        let shown = d.render("f.toml");
        assert!(shown.contains("f.toml:2:1: unknown key"));
        assert!(shown.contains("^^^^^^"));
        assert!(shown.contains("help: did you mean"));
    }

    #[test]
    fn diagnostic_columns_count_characters() {
        let src = "text = \"é [x\"";
        let i = src.find('[').unwrap();
        let d = Diagnostic::at(src, i..i + 1, "unclosed");
        assert_eq!(d.column, 11);
    }

    #[test]
    fn long_lines_are_shown_as_a_window_around_the_column() {
        let src = format!("text = \"{}[{}\"", "a".repeat(5000), "b".repeat(5000));
        let i = src.find('[').unwrap();
        let shown = Diagnostic::at(&src, i..i + 1, "unclosed").render("f.toml");
        assert!(shown.contains("f.toml:1:5009: unclosed"), "{shown}");
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[2].chars().count(), "1 | ".len() + SHOWN_CHARS + 2);
        assert!(lines[2].starts_with("1 | …a") && lines[2].ends_with("b…"));
        let at = lines[2].chars().position(|c| c == '[');
        assert_eq!(lines[3].chars().position(|c| c == '^'), at);
        // The end of a long line: no trailing mark, marker at the last column.
        let src = format!("{}]", "a".repeat(500));
        let shown = Diagnostic::at(&src, 500..501, "unopened").render("f.toml");
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[2].ends_with("a]"));
        assert_eq!(
            lines[3].chars().position(|c| c == '^'),
            lines[2].chars().position(|c| c == ']')
        );
    }

    #[test]
    fn long_messages_and_hints_are_cut() {
        let key = "k".repeat(100_000);
        let d = Diagnostic::whole_file(format!("unknown key `{key}`")).help(key.clone());
        let shown = d.render("f.toml");
        assert!(shown.len() < 1200, "{} bytes", shown.len());
        assert!(shown.contains("kkk…\n"));
    }

    #[test]
    fn line_index_finds_lines() {
        let lines = LineIndex::new("a\nbc\n\nd");
        assert_eq!(lines.locate(0), (1, 0));
        assert_eq!(lines.locate(1), (1, 0));
        assert_eq!(lines.locate(2), (2, 2));
        assert_eq!(lines.locate(5), (3, 5));
        assert_eq!(lines.locate(6), (4, 6));
        assert_eq!(lines.locate(99), (4, 6));
    }

    #[test]
    fn render_neutralises_escapes_in_message_help_and_file() {
        let d = Diagnostic::whole_file("bad `\u{1b}[2J`").help("did you mean `\u{1b}]0;`?");
        let shown = d.render("f\u{1b}[6n.toml");
        assert!(!shown.contains('\u{1b}'), "{shown:?}");
    }

    #[test]
    fn printable_hides_escapes() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\u{241b}[31mb");
        assert_eq!(
            printable("del\u{7f} nel\u{85} csi\u{9b}"),
            "del\u{241f} nel\u{2405} csi\u{241b}"
        );
        for kept in ["plain", "tab\tand\nline", "© é – 中文", ""] {
            assert_eq!(printable(kept), kept);
        }
    }
}
