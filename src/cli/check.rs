//! `treaty check`: validate drafts, write nothing.

use serde::Serialize;
use treaty::error::Diagnostic;
use treaty::plan::{Counts, Plan};
use treaty::render::{json, text};
use treaty::{Error, Result};

use super::{Context, Format, FormatArgs};

/// Check that drafts are valid. Nothing is ever written.
///
/// Prints one summary line per valid file; every problem of every invalid file
/// goes to stderr with its line, column and a hint, and the exit status is 2.
///
/// Examples:
///   treaty check plans/ukraine-2025/*.toml
///   treaty check ukraine
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Draft files, or names of plans in the repository.
    #[arg(required = true, value_name = "FILE|NAME")]
    targets: Vec<String>,

    #[command(flatten)]
    format: FormatArgs,
}

#[derive(Serialize)]
struct FileJson {
    file: String,
    valid: bool,
    summary: Option<Counts>,
    errors: Vec<DiagnosticJson>,
}

#[derive(Serialize)]
struct DiagnosticJson {
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    help: Option<String>,
}

impl From<&Diagnostic> for DiagnosticJson {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticJson {
            line: (d.line > 0).then_some(d.line),
            column: (d.line > 0).then_some(d.column),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let format = args.format.get();
    let mut failed = false;
    let mut out = String::new();
    let mut files = Vec::new();
    for target in &args.targets {
        let (shown, path) = super::draft_path(ctx, target)?;
        let result = Plan::read(&path).map_err(|e| rename(e, &shown));
        match (&result, format) {
            (Ok(plan), Format::Json) => files.push(FileJson {
                file: shown.clone(),
                valid: true,
                summary: Some(plan.counts()),
                errors: Vec::new(),
            }),
            (Ok(plan), Format::Markdown) => {
                out.push_str(&format!("- `{shown}`: {}\n", text::counts(&plan.counts())))
            }
            (Ok(plan), _) => out.push_str(&format!("{shown}: {}\n", text::counts(&plan.counts()))),
            (Err(e), _) => {
                failed = true;
                if format == Format::Json {
                    let errors = match e {
                        Error::InvalidDraft { diagnostics, .. } => {
                            diagnostics.iter().map(DiagnosticJson::from).collect()
                        }
                        other => vec![DiagnosticJson {
                            line: None,
                            column: None,
                            message: other.to_string(),
                            help: None,
                        }],
                    };
                    files.push(FileJson {
                        file: shown.clone(),
                        valid: false,
                        summary: None,
                        errors,
                    });
                }
                super::report_error(e);
            }
        }
    }
    if format == Format::Json {
        #[derive(Serialize)]
        struct CheckJson {
            schema: &'static str,
            valid: bool,
            files: Vec<FileJson>,
        }
        out = json::to_string(&CheckJson {
            schema: "treaty.check/1",
            valid: !failed,
            files,
        });
    }
    ctx.print(&out)?;
    Ok(if failed {
        super::exit::BAD_INPUT
    } else {
        super::exit::OK
    })
}

/// Names the file in diagnostics as the user named it.
fn rename(e: Error, shown: &str) -> Error {
    match e {
        Error::InvalidDraft { diagnostics, .. } => Error::InvalidDraft {
            file: shown.to_string(),
            diagnostics,
        },
        other => other,
    }
}
