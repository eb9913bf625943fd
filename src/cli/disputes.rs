//! `treaty disputes`: every point not agreed, since when, who holds out.

use treaty::render::{html, json, markdown, text, Painter};
use treaty::report;
use treaty::Result;

use super::{history_source, Context, Format, HtmlFormatArgs};

/// Report the open disagreements: every point not agreed, with its positions,
/// open brackets, since when it has been unagreed (followed through
/// renumbering, moves, splits and merges), when its text last changed, and
/// whether it was agreed before; then a party × point grid. `--format html`
/// gives one self-contained page with a convergence chart across revisions.
///
/// REV defaults to the working draft when it differs from the latest
/// revision, else the latest. A list of draft files, oldest first, stands in
/// for a plan.
///
/// Examples:
///   treaty disputes ukraine
///   treaty disputes ukraine geneva --format json
///   treaty disputes plans/ukraine-2025/*.toml
///   treaty disputes ukraine --format html > ukraine.html
///   treaty disputes ukraine --exit-code || echo "points still open"
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The plan's name (optionally followed by a revision), or draft files
    /// oldest first.
    #[arg(required = true, value_name = "NAME [REV] | FILES")]
    targets: Vec<String>,

    /// Exit with status 1 while any point is not agreed.
    #[arg(long)]
    exit_code: bool,

    #[command(flatten)]
    format: HtmlFormatArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let (targets, rev) = super::split_rev(&args.targets);
    let mut progress = super::progress::Progress::new("reading revisions");
    let report = if history_source::is_files(targets) {
        let (source, lineage) = history_source::read_traced(ctx, targets, rev, &mut progress)?;
        report::disputes(&source.name(), &source.revisions, &lineage, source.at)
    } else {
        let name = targets.first().map(String::as_str).unwrap_or_default();
        history_source::disputes(ctx, name, rev, &mut progress)?
    };
    progress.finish();
    let out = match args.format.format {
        Format::Json => json::disputes(&report),
        Format::Markdown => markdown::disputes(&report),
        Format::Html => html::disputes(&report),
        Format::Text => text::disputes(&report, &Painter::new(ctx.color)),
    };
    ctx.print(&out)?;
    Ok(if args.exit_code && !report.points.is_empty() {
        super::exit::DIFFERENCES
    } else {
        super::exit::OK
    })
}
