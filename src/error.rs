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
    /// How many characters from `column` the marker covers (at least 1).
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
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
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
        let mut out = String::new();
        if self.line == 0 {
            out.push_str(&format!("{file}: {}\n", self.message));
        } else {
            out.push_str(&format!(
                "{file}:{}:{}: {}\n",
                self.line, self.column, self.message
            ));
            let gutter = self.line.to_string().len();
            let shown = printable(&self.source_line);
            out.push_str(&format!("{:gutter$} |\n", ""));
            out.push_str(&format!("{} | {}\n", self.line, shown));
            let pad: String = self
                .source_line
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!(
                "{:gutter$} | {}{}\n",
                "",
                pad,
                "^".repeat(self.width.max(1))
            ));
        }
        if let Some(help) = &self.help {
            if self.line == 0 {
                out.push_str(&format!("  = help: {help}\n"));
            } else {
                let gutter = self.line.to_string().len();
                out.push_str(&format!("{:gutter$} = help: {help}\n", ""));
            }
        }
        out
    }
}

/// Replaces control characters (terminal escapes among them) with visible
/// stand-ins, so that nothing read from a file is echoed raw to a terminal.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' => c,
            c if c.is_control() => char::from_u32(0x2400 + (c as u32 & 0x1f)).unwrap_or('\u{fffd}'),
            c => c,
        })
        .collect()
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
                let n = diagnostics.len();
                write!(
                    f,
                    "{file} is not a valid draft ({n} {})",
                    if n == 1 { "error" } else { "errors" }
                )?;
                for d in diagnostics {
                    write!(f, "\n{}", d.render(file).trim_end())?;
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
    fn printable_hides_escapes() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\u{241b}[31mb");
    }
}
