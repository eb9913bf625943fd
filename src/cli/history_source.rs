//! Reading a plan's whole history for the reports: the committed revisions of
//! a plan (plus the working draft when it differs), or a list of draft files
//! standing in for revisions r1…rN.

use std::path::Path;

use treaty::plan::Plan;
use treaty::report::Revision;
use treaty::revision::{RevInfo, RevRef};
use treaty::{Error, Result};

use super::progress::Progress;
use super::Context;

/// A history to report on, and which revision the report is about.
pub struct Source {
    /// The plan's name; `None` for a list of files.
    pub plan: Option<String>,
    /// Oldest first.
    pub revisions: Vec<Revision>,
    /// Index of the revision asked about.
    pub at: usize,
}

impl Source {
    /// The plan's name for output: its name, or the first file's.
    pub fn name(&self) -> String {
        self.plan.clone().unwrap_or_else(|| {
            self.revisions
                .first()
                .and_then(|r| r.plan.title.clone())
                .unwrap_or_else(|| "draft files".to_string())
        })
    }
}

/// Reads `targets`: one plan name (with an optional REV to report on), or draft
/// files oldest first.
/// `progress` hears of every revision read.
pub fn read(
    ctx: &Context,
    targets: &[String],
    rev: Option<&str>,
    progress: &mut Progress,
) -> Result<Source> {
    let files = targets.len() > 1 || targets.first().is_some_and(|t| super::is_file_arg(t));
    if files {
        if let Some(rev) = rev {
            return Err(Error::refused(
                format!("a list of draft files has no revision '{}'", treaty::error::printable(rev)),
                "with draft files, the last file is the revision reported on; name a plan to pick a revision",
            ));
        }
        return from_files(ctx, targets, progress);
    }
    let name = targets.first().ok_or_else(|| {
        Error::refused(
            "name a plan or draft files",
            "e.g. `treaty disputes ukraine`",
        )
    })?;
    from_store(ctx, name, rev, progress)
}

fn from_files(ctx: &Context, files: &[String], progress: &mut Progress) -> Result<Source> {
    let mut revisions = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        let path = ctx.path(Path::new(file));
        let bytes = std::fs::read(&path).map_err(|source| Error::ReadFile { path, source })?;
        let plan = Plan::parse_bytes(&bytes, file)?;
        let mut info = RevInfo::file(format!("r{}", i + 1));
        info.label = plan.draft.label.clone();
        info.date = plan.draft.date.clone();
        revisions.push(Revision { info, plan });
        progress.update(i + 1, files.len());
    }
    let at = revisions.len().saturating_sub(1);
    Ok(Source {
        plan: None,
        revisions,
        at,
    })
}

fn from_store(
    ctx: &Context,
    name: &str,
    rev: Option<&str>,
    progress: &mut Progress,
) -> Result<Source> {
    treaty::store::check_plan_name(name)?;
    let store = super::store(ctx)?;
    let history = store.history(name)?;
    let mut revisions = Vec::with_capacity(history.len() + 1);
    let total = history.len();
    for (i, info) in history.into_iter().enumerate() {
        let plan = store.load(name, &info)?;
        revisions.push(Revision { info, plan });
        progress.update(i + 1, total);
    }
    // The revision reported on: `working` when it differs from latest (the
    // default), a committed revision, or a draft file read after the history.
    let (info, plan) = match rev {
        None => store.resolve_current(name)?,
        Some(r) => store.resolve(name, &RevRef::parse(r))?,
    };
    if let Some(at) = revisions.iter().position(|r| {
        r.info.commit.is_some() && r.info.commit == info.commit && r.info.rev == info.rev
    }) {
        revisions.truncate(at + 1);
        return Ok(Source {
            plan: Some(name.to_string()),
            revisions,
            at,
        });
    }
    revisions.push(Revision { info, plan });
    let at = revisions.len() - 1;
    Ok(Source {
        plan: Some(name.to_string()),
        revisions,
        at,
    })
}
