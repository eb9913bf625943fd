//! Command-line interface: one module per subcommand, each with its `Args`
//! (whose doc comments are the `--help` text) and a `run` function.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use treaty::{Error, Result};

mod check;
mod completions;
mod diff;
mod show;

/// Exit statuses, as documented in the README.
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// Only when asked: `--exit-code` with differences or open points.
    pub const DIFFERENCES: i32 = 1;
    /// Bad input or usage: unknown plan or revision, invalid draft.
    pub const BAD_INPUT: i32 = 2;
    /// Internal or repository failure.
    pub const FAILURE: i32 = 3;
}

/// Version numbered plans: follow every point across drafts, see word-level
/// changes, and know which points are agreed, disputed, by whom and since when.
#[derive(Parser, Debug)]
#[command(
    name = "treaty",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Examples:\n  treaty check plans/ukraine-2025/*.toml\n  treaty show plans/ukraine-2025/04-framework-20.toml"
)]
pub struct Cli {
    /// The repository to work in (default: found from the current directory).
    #[arg(long, global = true, value_name = "DIR")]
    repo: Option<PathBuf>,

    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Check(check::Args),
    Show(show::Args),
    Diff(diff::Args),
    Completions(completions::Args),
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Output formats. Not every command offers every format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Markdown,
    Html,
}

/// The `--format` option shared by commands that print data.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct FormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,
}

impl FormatArgs {
    /// Refuses `html` for commands that have no HTML view.
    pub fn without_html(self, command: &str) -> Result<Format> {
        if self.format == Format::Html {
            return Err(Error::refused(
                format!("`treaty {command}` has no html format"),
                "use --format text, json or markdown; html is offered by `diff` and `disputes`",
            ));
        }
        Ok(self.format)
    }
}

/// What every command gets: where to look, and how to print.
pub struct Context {
    /// `--repo`, if given.
    pub repo: Option<PathBuf>,
    /// Whether stdout gets colour.
    pub color: bool,
    /// The current directory.
    pub cwd: PathBuf,
}

impl Context {
    /// Writes a command's result to stdout. A closed pipe (`treaty log | head`)
    /// is not an error.
    pub fn print(&self, text: &str) -> Result<()> {
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(exit::OK),
            Err(e) => Err(Error::Internal {
                message: format!("cannot write to standard output: {e}"),
            }),
            Ok(()) => Ok(()),
        }
    }

    /// Resolves a path given on the command line against the current directory.
    pub fn path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.cwd.join(p)
        }
    }
}

/// Opens the workspace: `--repo`, or git discovery from the current directory.
pub fn store(ctx: &Context) -> Result<treaty::store::Store> {
    match &ctx.repo {
        Some(dir) => treaty::store::Store::open(dir),
        None => treaty::store::Store::discover(&ctx.cwd),
    }
}

/// The file a `FILE|NAME` argument names, and how to show it: a path as given,
/// or `plans/<name>.toml` of the workspace.
pub fn draft_path(ctx: &Context, arg: &str) -> Result<(String, PathBuf)> {
    if is_file_arg(arg) {
        return Ok((arg.to_string(), ctx.path(Path::new(arg))));
    }
    treaty::store::check_plan_name(arg)?;
    let store = store(ctx)?;
    let path = store.plan_path(arg);
    if !path.exists() {
        return Err(Error::UnknownPlan {
            name: arg.to_string(),
            known: plan_names(store.workdir()),
        });
    }
    Ok((format!("plans/{arg}.toml"), path))
}

/// Names of the plans in a working tree's `plans/`.
pub fn plan_names(workdir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(workdir.join("plans"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".toml"))
                .map(str::to_string)
        })
        .filter(|n| treaty::store::is_valid_plan_name(n))
        .collect();
    names.sort();
    names
}

/// Whether an argument names a draft file rather than a plan: it has a path
/// separator or a `.toml` ending, or is an existing file.
pub fn is_file_arg(arg: &str) -> bool {
    arg.contains('/')
        || arg.contains(std::path::MAIN_SEPARATOR)
        || arg.ends_with(".toml")
        || Path::new(arg).is_file()
}

fn color_enabled(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Runs the command line and returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::BAD_INPUT
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot read the current directory: {e}");
            return exit::FAILURE;
        }
    };
    let ctx = Context {
        repo: cli
            .repo
            .map(|r| if r.is_absolute() { r } else { cwd.join(r) }),
        color: color_enabled(cli.color),
        cwd,
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Diff(args) => diff::run(&ctx, args),
        Command::Completions(args) => completions::run(&ctx, args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report_error(&e);
            e.exit_code()
        }
    }
}

/// Prints `error: …` to stderr.
pub fn report_error(e: &Error) {
    let prefix = if stderr_color() {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    let mut text = format!("{prefix}: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!("\ncaused by: {s}"));
        source = s.source();
    }
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
