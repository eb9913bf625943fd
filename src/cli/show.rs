//! `treaty show`: one draft, readable.

use treaty::plan::Plan;
use treaty::render::{json, markdown, text, Painter};
use treaty::revision::RevInfo;
use treaty::Result;

use super::{Context, Format, FormatArgs};

/// Show a draft: numbered points, status and positions at a glance, open
/// brackets highlighted.
///
/// Examples:
///   treaty show plans/ukraine-2025/04-framework-20.toml
///   treaty show ukraine --format json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A draft file, or the name of a plan in the repository.
    #[arg(value_name = "FILE|NAME")]
    target: String,

    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let format = args.format.get();
    let (shown, path) = super::draft_path(ctx, &args.target)?;
    let plan = Plan::read(&path).map_err(|e| match e {
        treaty::Error::InvalidDraft { diagnostics, .. } => treaty::Error::InvalidDraft {
            file: shown.clone(),
            diagnostics,
        },
        other => other,
    })?;
    let rev = RevInfo::file(if super::is_file_arg(&args.target) {
        shown
    } else {
        "working".to_string()
    });
    let out = match format {
        Format::Json => json::draft(&plan, &rev),
        Format::Markdown => markdown::draft(&plan, &rev),
        _ => text::draft(&plan, &rev, &Painter::new(ctx.color)),
    };
    ctx.print(&out)?;
    Ok(super::exit::OK)
}
