//! Revisions: what a revision reference says (`r3`, `latest`, a label, a git
//! revision, `working`, a file path), and what we know of a resolved revision.
//!
//! Parsing a reference needs no repository; resolving one is the store's job.
//!
//! ```
//! use treaty::revision::RevRef;
//! assert_eq!(RevRef::parse("r3"), RevRef::Nth(3));
//! assert_eq!(RevRef::parse("working"), RevRef::Working);
//! assert_eq!(RevRef::parse("./x.toml"), RevRef::File("./x.toml".into()));
//! assert_eq!(RevRef::parse("geneva"), RevRef::Named("geneva".into()));
//! ```

use std::path::PathBuf;

/// A revision reference as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevRef {
    /// `rN`: the N-th revision of the plan, oldest is r1.
    Nth(usize),
    /// `latest`: the newest committed revision.
    Latest,
    /// `working`: the file on disk.
    Working,
    /// A path to a draft file (has a `/` or ends in `.toml`).
    File(PathBuf),
    /// A label of the plan, or any git revision (hash, tag, `HEAD~2`).
    Named(String),
}

impl RevRef {
    /// Reads a reference. Never fails: anything unrecognised is a name, checked
    /// when it is resolved.
    pub fn parse(s: &str) -> RevRef {
        if let Some(n) = s.strip_prefix('r').and_then(|n| n.parse::<usize>().ok()) {
            if n >= 1 && !s[1..].starts_with('+') {
                return RevRef::Nth(n);
            }
        }
        match s {
            "latest" => RevRef::Latest,
            "working" => RevRef::Working,
            _ if s.contains('/')
                || s.contains(std::path::MAIN_SEPARATOR)
                || s.ends_with(".toml") =>
            {
                RevRef::File(PathBuf::from(s))
            }
            _ => RevRef::Named(s.to_string()),
        }
    }
}

/// What we know of one revision of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RevInfo {
    /// How the revision is shown: `r3`, `working`, or a file path.
    pub rev: String,
    /// The full commit id, for committed revisions.
    pub commit: Option<String>,
    /// The revision's label: its `Treaty-Label` trailer or `<plan>/<label>`
    /// tag, else (once the draft is loaded) the draft's `[draft] label`.
    pub label: Option<String>,
    /// The commit's author date (`YYYY-MM-DD`, in its own offset), or the
    /// draft's `[draft] date` for files.
    pub date: Option<String>,
    /// Commit author, `Name <mail>`.
    pub author: Option<String>,
    /// The commit message's subject line.
    pub message: Option<String>,
}

impl RevInfo {
    /// A revision that is a file on disk, shown as `rev`.
    pub fn file(rev: impl Into<String>) -> RevInfo {
        RevInfo {
            rev: rev.into(),
            ..RevInfo::default()
        }
    }

    /// The short commit id (7 hex digits), if committed.
    pub fn short(&self) -> Option<&str> {
        self.commit.as_deref().map(|c| &c[..c.len().min(7)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind() {
        assert_eq!(RevRef::parse("r1"), RevRef::Nth(1));
        assert_eq!(RevRef::parse("r0"), RevRef::Named("r0".into()));
        assert_eq!(RevRef::parse("r+1"), RevRef::Named("r+1".into()));
        assert_eq!(RevRef::parse("latest"), RevRef::Latest);
        assert_eq!(RevRef::parse("HEAD~2"), RevRef::Named("HEAD~2".into()));
        assert_eq!(
            RevRef::parse("plans/x.toml"),
            RevRef::File("plans/x.toml".into())
        );
        assert_eq!(RevRef::parse("rabbit"), RevRef::Named("rabbit".into()));
    }
}
