//! `treaty history`: the life of one point across every revision.

use treaty::render::{json, markdown, text, Painter};
use treaty::report;
use treaty::{Error, Result};

use super::{history_source, Context, Format, FormatArgs};

/// Show the life of one point across every revision: its numbers, its text
/// (word diffs between consecutive versions), statuses and positions, followed
/// through renumbering, moves, splits and merges.
///
/// The point is named by its number or id in the newest revision that has it.
///
/// Examples:
///   treaty history ukraine 14
///   treaty history ukraine territory --format json
///   treaty history plans/ukraine-2025/*.toml 12
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The plan's name, or draft files oldest first; then the point's number
    /// or id.
    #[arg(required = true, num_args = 2.., value_name = "NAME|FILES... POINT")]
    args: Vec<String>,

    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let (point, targets) = args.args.split_last().ok_or_else(|| {
        Error::refused(
            "name a plan and a point",
            "e.g. `treaty history ukraine 14`",
        )
    })?;
    let mut progress = super::progress::Progress::new("reading revisions");
    let (source, lineage) = history_source::read_traced(ctx, targets, None, &mut progress)?;
    progress.finish();
    let Some((k, j)) = report::find_point(&source.revisions, point) else {
        let latest = source
            .revisions
            .last()
            .map(|r| {
                r.plan
                    .points
                    .iter()
                    .map(|p| p.number.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        return Err(Error::UnknownPoint {
            plan: source.name(),
            point: point.clone(),
            hint: format!(
                "no revision has a point with that number or id; the latest has {latest}"
            ),
        });
    };
    let life = report::history(&source.name(), point, &source.revisions, &lineage, k, j);
    let out = match args.format.get() {
        Format::Json => json::history(&life),
        Format::Markdown => markdown::history(&life),
        _ => text::history(&life, &Painter::new(ctx.color)),
    };
    ctx.print(&out)?;
    Ok(super::exit::OK)
}
