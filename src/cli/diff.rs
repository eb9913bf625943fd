//! `treaty diff`: what changed between two drafts, point by point.

use std::path::Path;

use treaty::align::{Options, DEFAULT_THRESHOLD};
use treaty::diff::{Classifier, CHUNK_GROUPS};
use treaty::plan::Plan;
use treaty::render::{json, markdown, text, Painter};
use treaty::revision::{RevInfo, RevRef};
use treaty::{Error, Result};

use super::{Context, Format, HtmlFormatArgs};

/// Show what changed between two drafts: every point followed across the
/// drafts, even when renumbered, moved, split or merged; word-level changes;
/// status and position changes.
///
/// Points are paired by id, then by identical text, then by similar text
/// (rare words such as names and figures weigh most), then as splits and
/// merges; what is left is added or removed. Only changed points are shown
/// unless --all is given.
///
/// Examples:
///   treaty diff plans/ukraine-2025/01-us-28.toml plans/ukraine-2025/04-framework-20.toml
///   treaty diff ukraine                  (latest revision → working file)
///   treaty diff ukraine r1 r3 --format json
///   treaty diff ukraine --exit-code      (exit 1 if the working file changed)
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A plan name, or a draft file (then FROM is the other draft file).
    #[arg(value_name = "NAME|FILE")]
    target: String,

    /// The revision to compare from (default `latest`); with a draft file as
    /// first argument, the draft file to compare to.
    #[arg(value_name = "FROM")]
    from: Option<String>,

    /// The revision to compare to (default `working`).
    #[arg(value_name = "TO")]
    to: Option<String>,

    /// Show unchanged points too.
    #[arg(long)]
    all: bool,

    /// Exit with status 1 if anything changed (0 if nothing did).
    #[arg(long)]
    exit_code: bool,

    /// Similarity (0 to 1) at or above which two differently worded points
    /// are taken to be the same point.
    #[arg(long, value_name = "F", default_value_t = DEFAULT_THRESHOLD, value_parser = parse_threshold)]
    threshold: f64,

    #[command(flatten)]
    format: HtmlFormatArgs,
}

fn parse_threshold(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "`{s}` is not a similarity between 0 and 1 (e.g. {DEFAULT_THRESHOLD})"
        )),
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let (plan, (from_rev, from), (to_rev, to)) = resolve(ctx, &args)?;
    let options = Options {
        threshold: args.threshold,
    };
    let format = args.format.format;
    if matches!(format, Format::Json | Format::Text) {
        let alignment = treaty::align::align(&from, &to, &options);
        let changed = stream(
            ctx,
            &args,
            plan.as_deref(),
            (&from_rev, &from),
            (&to_rev, &to),
            &alignment,
        )?;
        // Nothing is left to do but exit: the drafts and the alignment of a
        // large diff take a while to free, and the system frees them at once.
        std::mem::forget((from, to, alignment));
        return Ok(exit_status(&args, changed));
    }
    let d = treaty::diff::diff(&from, &to, &options);
    let out = match format {
        Format::Markdown => markdown::diff(&d, &from_rev, &to_rev, args.all),
        _ => treaty::render::html::diff_drafts(
            &d,
            (&from_rev, &from),
            (&to_rev, &to),
            plan.as_deref().unwrap_or("drafts"),
        ),
    };
    ctx.print(&out)?;
    Ok(exit_status(&args, d.has_changes()))
}

/// Text and JSON output, classified and rendered a chunk of groups at a time
/// on every core and written in order as it is produced: the summary comes
/// first (a quick pass without word diffs), so nothing but the chunks in
/// flight is held in memory. Whether anything changed.
fn stream(
    ctx: &Context,
    args: &Args,
    plan: Option<&str>,
    (from_rev, from): (&RevInfo, &Plan),
    (to_rev, to): (&RevInfo, &Plan),
    alignment: &treaty::align::Alignment,
) -> Result<bool> {
    let classifier = Classifier::new(from, to, alignment);
    let (summary, changed) = classifier.summary();
    let groups = classifier.groups();
    let json = args.format.format == Format::Json;
    let painter = Painter::new(ctx.color);
    ctx.print_with(|out| {
        if json {
            json::write_diff_head(
                out,
                &json::DiffHead {
                    plan,
                    from: from_rev,
                    to: to_rev,
                    from_points: from.points.len(),
                    to_points: to.points.len(),
                    summary: &summary,
                },
            )?;
        } else {
            out.write_all(text::diff_head(from_rev, to_rev, &painter).as_bytes())?;
        }
        treaty::parallel::ordered_chunks(
            groups,
            CHUNK_GROUPS,
            |range| {
                let first = range.start == 0;
                let changes = classifier.changes(range);
                // Room for the texts and what goes around them, so that the
                // buffer is not copied as it grows.
                let room = changes
                    .iter()
                    .map(|c| c.text.iter().map(|s| s.text.len() + 40).sum::<usize>() + 500)
                    .sum();
                if json {
                    let mut buf = Vec::with_capacity(room);
                    json::write_diff_changes(&mut buf, &changes, first).map(|()| buf)
                } else {
                    let mut buf = String::with_capacity(room);
                    for c in changes.iter().filter(|c| args.all || c.is_changed()) {
                        text::diff_change(c, &painter, &mut buf);
                    }
                    Ok(buf.into_bytes())
                }
            },
            |chunk| out.write_all(&chunk?),
        )?;
        if json {
            json::write_diff_tail(out, groups > 0)
        } else {
            let line = text::summary_line(&summary, from.points.len(), to.points.len(), changed);
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")
        }
    })?;
    Ok(changed)
}

fn exit_status(args: &Args, changed: bool) -> i32 {
    if args.exit_code && changed {
        super::exit::DIFFERENCES
    } else {
        super::exit::OK
    }
}
type Side = (RevInfo, Plan);

/// Two draft files larger than this together are read on two threads.
const PARALLEL_READ_BYTES: u64 = 2 << 20;

/// The plan name (if any) and both sides, from the arguments: two draft
/// files, or a plan name and up to two revisions.
fn resolve(ctx: &Context, args: &Args) -> Result<(Option<String>, Side, Side)> {
    if super::is_file_arg(&args.target) {
        let Some(other) = &args.from else {
            return Err(Error::refused(
                format!("`treaty diff {}` needs a second draft file", args.target),
                "compare two files with `treaty diff A.toml B.toml`, or name a plan: `treaty diff <name> [FROM [TO]]`",
            ));
        };
        if let Some(extra) = &args.to {
            return Err(Error::refused(
                format!("unexpected third argument `{extra}` after two draft files"),
                "compare two files with `treaty diff A.toml B.toml`",
            ));
        }
        // Large drafts are read side by side: reading is a good part of the
        // work.
        let size = |f: &str| std::fs::metadata(ctx.path(Path::new(f))).map_or(0, |m| m.len());
        if size(&args.target) + size(other) < PARALLEL_READ_BYTES {
            return Ok((None, read_file(ctx, &args.target)?, read_file(ctx, other)?));
        }
        let (from, to) = std::thread::scope(|scope| {
            let to = scope.spawn(|| read_file(ctx, other));
            let from = read_file(ctx, &args.target);
            let to = to.join().unwrap_or_else(|_| {
                Err(Error::Internal {
                    message: format!("reading {other} failed"),
                })
            });
            (from, to)
        });
        return Ok((None, from?, to?));
    }
    let name = &args.target;
    treaty::store::check_plan_name(name)?;
    let from = RevRef::parse(args.from.as_deref().unwrap_or("latest"));
    let to = RevRef::parse(args.to.as_deref().unwrap_or("working"));
    let from = load_side(ctx, name, &from)?;
    let to = load_side(ctx, name, &to)?;
    Ok((Some(name.clone()), from, to))
}

/// One side of a `<name> [FROM [TO]]` diff: the plan `name` at revision
/// `rev` (a committed revision, `working`, or a draft file).
pub fn load_side(ctx: &Context, name: &str, rev: &RevRef) -> Result<Side> {
    match rev {
        RevRef::File(path) => read_file(ctx, &path.display().to_string()),
        _ => {
            let (mut info, plan) = super::store(ctx)?.resolve(name, rev)?;
            if info.label.is_none() {
                info.label.clone_from(&plan.draft.label);
            }
            Ok((info, plan))
        }
    }
}

fn read_file(ctx: &Context, shown: &str) -> Result<Side> {
    let plan = read(&ctx.path(Path::new(shown)), shown)?;
    Ok((info(shown, &plan), plan))
}

fn read(path: &Path, shown: &str) -> Result<Plan> {
    Plan::read(path).map_err(|e| match e {
        Error::InvalidDraft { diagnostics, .. } => Error::InvalidDraft {
            file: shown.to_string(),
            diagnostics,
        },
        other => other,
    })
}

fn info(rev: &str, plan: &Plan) -> RevInfo {
    RevInfo {
        label: plan.draft.label.clone(),
        date: plan.draft.date.clone(),
        ..RevInfo::file(rev)
    }
}
