//! `treaty log`: the revisions of a plan, newest first.

use std::path::Path;

use treaty::changes::{log_entries, log_rows, LogEntry};
use treaty::plan::Plan;
use treaty::render::{json, markdown, text, Painter};
use treaty::revision::RevInfo;
use treaty::{Error, Result};

use super::{Context, Format, FormatArgs};

/// List the revisions of a plan, newest first.
///
/// One line per revision: revision, commit, date, label, author, counts of
/// points (agreed, disputed, open, brackets) and what changed since the
/// revision before.
///
/// A list of draft files, oldest first, stands in for a plan: the files are
/// read as revisions r1…rN, and no repository is needed.
///
/// Examples:
///   treaty log ukraine
///   treaty log plans/ukraine-2025/*.toml --format json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The plan's name, or draft files oldest first.
    #[arg(required = true, value_name = "NAME|FILES")]
    targets: Vec<String>,

    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let format = args.format.get();
    let files = args.targets.len() > 1 || super::is_file_arg(&args.targets[0]);
    let (plan, mut entries) = if files {
        (None, from_files(ctx, &args.targets)?)
    } else {
        let name = &args.targets[0];
        (Some(name.as_str()), from_history(ctx, name)?)
    };
    entries.reverse();
    let out = match format {
        Format::Json => json::log(plan, &entries),
        Format::Markdown => markdown::log(plan, &entries),
        _ => text::log(&entries, &Painter::new(ctx.color)),
    };
    ctx.print(&out)?;
    Ok(super::exit::OK)
}

/// Draft files as revisions r1…rN. An invalid file is an error: the user named
/// it.
fn from_files(ctx: &Context, files: &[String]) -> Result<Vec<LogEntry>> {
    let mut revisions = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        let bytes = std::fs::read(ctx.path(Path::new(file))).map_err(|source| Error::ReadFile {
            path: file.into(),
            source,
        })?;
        let plan = Plan::parse_bytes(&bytes, file)?;
        revisions.push((RevInfo::file(format!("r{}", i + 1)), Ok(plan)));
    }
    let mut entries = log_entries(revisions);
    for (entry, file) in entries.iter_mut().zip(files) {
        entry.file = Some(file.clone());
    }
    Ok(entries)
}

/// The plan's committed revisions. A revision whose draft is invalid is
/// listed without counts, with a warning.
fn from_history(ctx: &Context, name: &str) -> Result<Vec<LogEntry>> {
    treaty::store::check_plan_name(name)?;
    let store = super::store(ctx)?;
    let revs = store.history_blobs(name)?;
    if revs.is_empty() {
        let known = store.plans()?;
        if !known.iter().any(|p| p == name) {
            return Err(Error::UnknownPlan {
                name: name.to_string(),
                known,
            });
        }
        eprintln!("plan '{name}' has no revisions yet (record one with `treaty commit {name}`)");
    }
    let mut progress = super::progress::Progress::new("reading revisions");
    let digest = super::history_source::digest(&store, name, revs, &mut progress)?;
    progress.finish();
    let steps = digest.steps;
    let rows: Vec<_> = digest
        .infos
        .into_iter()
        .zip(digest.facts)
        .enumerate()
        .map(|(k, (info, facts))| {
            if let Err(e) = &facts {
                eprintln!(
                    "warning: revision {} of plan '{name}' is not a valid draft; its counts are left out\n{e}",
                    info.rev
                );
            }
            let changes = k
                .checked_sub(1)
                .and_then(|j| steps[j].as_ref())
                .map(|s| s.summary);
            (info, facts.ok(), changes)
        })
        .collect();
    let entries = log_rows(rows);
    // The command ends once the log is printed: freeing the alignments of a
    // long history one by one would take longer than the system takes to
    // reclaim them at exit.
    std::mem::forget(steps);
    Ok(entries)
}
