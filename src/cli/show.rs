//! `treaty show`: one draft, readable.

use treaty::plan::Plan;
use treaty::render::{json, markdown, text, Painter};
use treaty::revision::{RevInfo, RevRef};
use treaty::{Error, Result};

use super::{Context, Format, FormatArgs};

/// Show a draft, from a file or at any revision of a plan.
///
/// Numbered points, status and positions at a glance, open brackets
/// highlighted. A plan's revisions are read straight from the repository,
/// without checking anything out.
///
/// Examples:
///   treaty show plans/ukraine-2025/04-framework-20.toml
///   treaty show ukraine geneva
///   treaty show ukraine r3 --format json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A draft file, or the name of a plan in the repository.
    #[arg(value_name = "FILE|NAME")]
    target: String,

    /// Which revision of the plan: rN, latest, a label, a git revision
    /// (hash, tag, HEAD~2), working (the file on disk) or a draft file.
    /// Default: working if it differs from latest, else latest.
    #[arg(value_name = "REV")]
    rev: Option<String>,

    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let format = args.format.get();
    let (plan, rev) = if super::is_file_arg(&args.target) {
        if let Some(rev) = &args.rev {
            return Err(Error::refused(
                format!(
                    "'{}' is a draft file, which has no revision '{}'",
                    args.target,
                    treaty::error::printable(rev)
                ),
                "name a plan to pick one of its revisions: `treaty show <name> <rev>`",
            ));
        }
        let (shown, path) = super::draft_path(ctx, &args.target)?;
        let bytes = std::fs::read(&path).map_err(|source| Error::ReadFile { path, source })?;
        (Plan::parse_bytes(&bytes, &shown)?, RevInfo::file(shown))
    } else {
        treaty::store::check_plan_name(&args.target)?;
        let store = super::store(ctx)?;
        let (rev, plan) = match &args.rev {
            Some(rev) => store.resolve(&args.target, &RevRef::parse(rev))?,
            None => store.resolve_current(&args.target)?,
        };
        (plan, rev)
    };
    let out = match format {
        Format::Json => json::draft(&plan, &rev),
        Format::Markdown => markdown::draft(&plan, &rev),
        _ => text::draft(&plan, &rev, &Painter::new(ctx.color)),
    };
    ctx.print(&out)?;
    Ok(super::exit::OK)
}
