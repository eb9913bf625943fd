//! `treaty import`: a published text (plain text, markdown, a PDF turned into
//! text) becomes a draft file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use treaty::import::{import_bytes, is_valid_date, ImportOptions, ImportWarning};
use treaty::plan::{DraftInfo, Provenance};
use treaty::{Error, Result};

use super::Context;

/// Import a published text as a draft: numbered points, sub-points, title.
///
/// Reads plain text or markdown (`-` reads standard input) and writes a draft
/// that passes `treaty check`: to OUT, to `plans/<NAME>.toml` of the workspace
/// with --name, or else to standard output. Files are written atomically.
///
/// Points start at the beginning of a line: `1.`, `1)`, `(1)`, `Point 1:`,
/// `Article 1` (a title after a dash or colon becomes the point's title),
/// `## 1. Title` (the heading's text becomes the title), markdown ordered
/// lists, `**1.**`. Lines `a)`, `(a)`, `a.` under a point become sub-points
/// `21.a`; roman `i)`, `ii)` become `21.i`, `21.ii` when they run in sequence.
/// Wrapped lines join their point; paragraphs and bullet lists inside a point
/// are kept on lines of their own; brackets are kept as written. In PDF dumps,
/// words hyphenated across lines are rejoined and page numbers and repeated
/// headers dropped. The heading or first line before the first point becomes
/// the plan title.
///
/// Numbers are never changed: a skipped number is a warning naming its line; a
/// repeated number (numbering that restarts in a new section, too) is an
/// error naming both lines, and nothing is written (exit 2). The text must be
/// UTF-8. Warnings go to standard error.
///
/// Examples:
///   treaty import received.txt -o drafts/geneva.toml --label geneva --date 2025-11-23
///   treaty import - --name ukraine --provenance leaked < pasted-article.md
///   treaty import memo.md --party US --party Ukraine --title "Peace plan" > draft.toml
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The text to import; `-` reads standard input.
    #[arg(value_name = "FILE|-")]
    input: String,

    /// Write the draft to this file (replacing it) instead of standard output.
    #[arg(short, long, value_name = "OUT", conflicts_with = "name")]
    output: Option<PathBuf>,

    /// Write the draft to `plans/<NAME>.toml` of the workspace (replacing it),
    /// ready for `treaty commit NAME`. For the plan's title, use --title.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,

    /// The plan title (default: the heading or first line before the first point).
    #[arg(long, value_name = "TITLE")]
    title: Option<String>,

    /// A party that takes positions on the points; repeat for each party.
    #[arg(long = "party", value_name = "PARTY")]
    parties: Vec<String>,

    /// `[draft] label`: a short name for this version, e.g. geneva.
    #[arg(long, value_name = "LABEL")]
    label: Option<String>,

    /// `[draft] date`, as YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    date: Option<String>,

    /// `[draft] source`: where this text comes from.
    #[arg(long, value_name = "SOURCE")]
    source: Option<String>,

    /// `[draft] provenance`: how this text reached us.
    #[arg(long, value_enum, value_name = "PROVENANCE")]
    provenance: Option<ProvenanceArg>,
}

/// How a text reached us.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ProvenanceArg {
    Official,
    Leaked,
    Reported,
    Working,
}

impl From<ProvenanceArg> for Provenance {
    fn from(p: ProvenanceArg) -> Self {
        match p {
            ProvenanceArg::Official => Provenance::Official,
            ProvenanceArg::Leaked => Provenance::Leaked,
            ProvenanceArg::Reported => Provenance::Reported,
            ProvenanceArg::Working => Provenance::Working,
        }
    }
}

/// Where the draft goes.
enum Target {
    Stdout,
    File { shown: String, path: PathBuf },
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    // Everything the user typed is checked before anything is read or written.
    if let Some(date) = &args.date {
        if !is_valid_date(date) {
            return Err(Error::refused(
                format!("malformed --date \"{}\"", treaty::error::printable(date)),
                "write the date as YYYY-MM-DD, e.g. --date 2025-11-23",
            ));
        }
    }
    let options = ImportOptions {
        file: if args.input == "-" {
            "<stdin>".to_string()
        } else {
            args.input.clone()
        },
        title: args.title.clone(),
        parties: args.parties.clone(),
        draft: DraftInfo {
            label: args.label.clone(),
            date: args.date.clone(),
            source: args.source.clone().filter(|s| !s.trim().is_empty()),
            provenance: args.provenance.map(Provenance::from),
        },
    };
    options.validate()?;
    let target = target(ctx, &args)?;

    let bytes = read_input(ctx, &args.input)?;
    let imported = import_bytes(&bytes, &options)?;
    let toml = imported.plan.to_toml();
    print_warnings(&options.file, &imported.warnings);
    match target {
        Target::Stdout => ctx.print(&toml)?,
        Target::File { shown, path } => {
            write_atomically(&path, &toml)?;
            let n = imported.plan.points.len();
            let w = imported.warnings.len();
            let _ = writeln!(
                std::io::stderr().lock(),
                "wrote {shown}: {n} {} ({w} {})",
                if n == 1 { "point" } else { "points" },
                if w == 1 { "warning" } else { "warnings" }
            );
        }
    }
    Ok(super::exit::OK)
}

fn target(ctx: &Context, args: &Args) -> Result<Target> {
    if let Some(name) = &args.name {
        treaty::store::check_plan_name(name)?;
        let store = super::store(ctx)?;
        return Ok(Target::File {
            shown: format!("plans/{name}.toml"),
            path: store.plan_path(name),
        });
    }
    match &args.output {
        None => Ok(Target::Stdout),
        Some(p) if p.as_os_str() == "-" => Ok(Target::Stdout),
        Some(p) => {
            let path = ctx.path(p);
            if path.is_dir() {
                return Err(Error::refused(
                    format!("{} is a directory", p.display()),
                    "name the draft file to write, e.g. -o plans/ukraine.toml",
                ));
            }
            Ok(Target::File {
                shown: p.display().to_string(),
                path,
            })
        }
    }
}

fn read_input(ctx: &Context, input: &str) -> Result<Vec<u8>> {
    if input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|source| Error::ReadFile {
                path: PathBuf::from("<stdin>"),
                source,
            })?;
        return Ok(bytes);
    }
    let path = ctx.path(Path::new(input));
    std::fs::read(&path).map_err(|source| Error::ReadFile {
        path: PathBuf::from(input),
        source,
    })
}

fn print_warnings(file: &str, warnings: &[ImportWarning]) {
    let prefix = if super::stderr_color() {
        "\x1b[1;33mwarning\x1b[0m"
    } else {
        "warning"
    };
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(
            err,
            "{prefix}: {}",
            treaty::error::printable(&w.render(file))
        );
    }
}

/// Writes `text` to `path` through a temporary file in the same directory, so
/// that `path` is either untouched or complete.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let write_error = |source| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(write_error)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".treaty-import")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(write_error)?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(write_error)?;
    tmp.persist(path).map_err(|e| write_error(e.error))?;
    Ok(())
}
