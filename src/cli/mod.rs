//! Command-line interface: one module per subcommand, each with its `Args`
//! (whose doc comments are the `--help` text) and a `run` function.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use treaty::{Error, Result};

mod check;
mod commit;
mod completions;
mod diff;
mod disputes;
mod git_driver;
mod git_setup;
mod history;
mod history_source;
mod import;
mod init;
mod log;
mod man;
mod pager;
mod position;
mod progress;
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
    after_help = "Examples:\n  treaty init\n  treaty commit ukraine --label geneva\n  treaty log ukraine\n  treaty show ukraine r3\n  treaty check plans/ukraine-2025/*.toml"
)]
pub struct Cli {
    /// The repository to work in (default: found from the current directory).
    #[arg(long, global = true, value_name = "DIR")]
    repo: Option<PathBuf>,

    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,

    /// Do not send long output through a pager.
    #[arg(long, global = true)]
    no_pager: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Init(init::Args),
    Commit(commit::Args),
    Log(log::Args),
    Check(check::Args),
    Show(show::Args),
    Disputes(disputes::Args),
    History(history::Args),
    Position(position::PositionArgs),
    Status(position::StatusArgs),
    Import(import::Args),
    GitSetup(git_setup::Args),
    Diff(diff::Args),
    Completions(completions::Args),
    Man(man::Args),
    #[command(hide = true)]
    GitDiffDriver(git_driver::DiffArgs),
    #[command(hide = true)]
    GitTextconv(git_driver::TextconvArgs),
}

/// The command line as people see it: hidden subcommands (git's drivers)
/// left out, for shell completions and the manual page, whose generators
/// would otherwise list them.
pub fn public_command() -> clap::Command {
    use clap::CommandFactory;
    let full = Cli::command();
    let mut cmd = clap::Command::new(full.get_name().to_string())
        .version(full.get_version().unwrap_or_default().to_string())
        .propagate_version(true)
        .max_term_width(100)
        .subcommand_required(true)
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    if let Some(after) = full.get_after_help() {
        cmd = cmd.after_help(after.clone());
    }
    cmd
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

/// The formats of commands without an HTML view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
enum DataFormat {
    #[default]
    Text,
    Json,
    Markdown,
}

/// The `--format` option of commands that print data: text, json or markdown.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct FormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Text, value_name = "FORMAT")]
    format: DataFormat,
}

impl FormatArgs {
    /// The chosen format.
    pub fn get(self) -> Format {
        match self.format {
            DataFormat::Text => Format::Text,
            DataFormat::Json => Format::Json,
            DataFormat::Markdown => Format::Markdown,
        }
    }
}

/// The `--format` option of commands that also offer an HTML view.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct HtmlFormatArgs {
    /// Output format (html: one self-contained page).
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,
}

/// What every command gets: where to look, and how to print.
pub struct Context {
    /// `--repo`, if given.
    pub repo: Option<PathBuf>,
    /// Whether stdout gets colour.
    pub color: bool,
    /// `--color` as given.
    pub color_when: ColorWhen,
    /// The current directory.
    pub cwd: PathBuf,
    /// Whether output may go through a pager (stdout is a terminal and
    /// `--no-pager` was not given).
    pub page: bool,
}

impl Context {
    /// Writes a command's result to stdout, through a pager when it is long
    /// and stdout is a terminal. A closed pipe (`treaty log | head`) is not an
    /// error.
    pub fn print(&self, text: &str) -> Result<()> {
        if self.page && pager::is_long(text) && pager::show(text) {
            return Ok(());
        }
        self.write(text)
    }

    /// [`Context::print`] for long output produced piece by piece: written
    /// straight to stdout as `render` produces it (no copy of the whole
    /// output in memory), or gathered first when it may go to a pager.
    pub fn print_with(
        &self,
        render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let failed = |e: std::io::Error| Error::Internal {
            message: format!("cannot write to standard output: {e}"),
        };
        if self.page {
            let mut out = Vec::new();
            render(&mut out).map_err(failed)?;
            return self.print(&String::from_utf8_lossy(&out));
        }
        let stdout = std::io::stdout().lock();
        let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
        match render(&mut out).and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(exit::OK),
            Err(e) => Err(failed(e)),
            Ok(()) => Ok(()),
        }
    }

    /// Writes to stdout, never through a pager (for output another program
    /// reads, such as git's drivers).
    pub fn write(&self, text: &str) -> Result<()> {
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
    let path = store.plan_file(arg)?;
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

/// Splits `NAME [REV]` from a list of draft files: two arguments whose first
/// is not a file are a plan and a revision.
pub fn split_rev(targets: &[String]) -> (&[String], Option<&str>) {
    if targets.len() == 2 && !is_file_arg(&targets[0]) {
        (&targets[..1], Some(targets[1].as_str()))
    } else {
        (targets, None)
    }
}

/// Whether an argument names a draft file rather than a plan: it has a path
/// separator or a `.toml` ending, or is an existing file.
pub fn is_file_arg(arg: &str) -> bool {
    arg.contains('/')
        || arg.contains(std::path::MAIN_SEPARATOR)
        || arg.ends_with(".toml")
        || Path::new(arg).is_file()
}

/// Whether a stream gets colour: `--color always|never` decides; in `auto`,
/// `NO_COLOR` (set and not empty) turns colour off, `CLICOLOR_FORCE` turns it
/// on, and otherwise a terminal other than `TERM=dumb` gets it.
fn color_for(when: ColorWhen, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if set("NO_COLOR") => false,
        ColorWhen::Auto
            if set("CLICOLOR_FORCE") && std::env::var_os("CLICOLOR_FORCE") != Some("0".into()) =>
        {
            true
        }
        ColorWhen::Auto => is_terminal && std::env::var("TERM").map_or(true, |t| t != "dumb"),
    }
}

fn color_enabled(when: ColorWhen) -> bool {
    color_for(when, std::io::stdout().is_terminal())
}

/// `--color` as given, for messages written before or outside a command's
/// [`Context`] (errors and warnings on stderr).
static COLOR_WHEN: std::sync::OnceLock<ColorWhen> = std::sync::OnceLock::new();

fn stderr_color() -> bool {
    color_for(
        COLOR_WHEN.get().copied().unwrap_or(ColorWhen::Auto),
        std::io::stderr().is_terminal(),
    )
}

/// `--color WHEN` read ahead of parsing, so that clap's own help and usage
/// errors follow it too.
fn color_arg(args: &[std::ffi::OsString]) -> Option<ColorWhen> {
    let mut found = None;
    let mut it = args.iter().skip(1).map(|a| a.to_str().unwrap_or_default());
    while let Some(a) = it.next() {
        let value = match a {
            "--" => break,
            "--color" => it.next(),
            _ => a.strip_prefix("--color="),
        };
        found = match value {
            Some("always") => Some(ColorWhen::Always),
            Some("never") => Some(ColorWhen::Never),
            Some("auto") => Some(ColorWhen::Auto),
            _ => found,
        };
    }
    found
}

/// Runs the command line and returns the exit status.
pub fn main() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let early = color_arg(&args);
    let choice = match early {
        Some(ColorWhen::Always) => clap::ColorChoice::Always,
        Some(ColorWhen::Never) => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    };
    let mut cmd = Cli::command().color(choice);
    let parsed = cmd
        .try_get_matches_from_mut(&args)
        .and_then(|m| Cli::from_arg_matches(&m).map_err(|e| e.format(&mut cmd)));
    let cli = match parsed {
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
    let _ = COLOR_WHEN.set(cli.color);
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
        color_when: cli.color,
        cwd,
        page: !cli.no_pager && std::io::stdout().is_terminal(),
    };
    let result = match cli.command {
        Command::Init(args) => init::run(&ctx, args),
        Command::Commit(args) => commit::run(&ctx, args),
        Command::Log(args) => log::run(&ctx, args),
        Command::Check(args) => check::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Disputes(args) => disputes::run(&ctx, args),
        Command::History(args) => history::run(&ctx, args),
        Command::Position(args) => position::run_position(&ctx, args),
        Command::Status(args) => position::run_status(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::GitSetup(args) => git_setup::run(&ctx, args),
        Command::GitDiffDriver(args) => git_driver::run_diff(&ctx, args),
        Command::GitTextconv(args) => git_driver::run_textconv(&ctx, args),
        Command::Diff(args) => diff::run(&ctx, args),
        Command::Completions(args) => completions::run(&ctx, args),
        Command::Man(args) => man::run(&ctx, args),
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
        super::public_command().debug_assert();
    }

    #[test]
    fn color_is_read_ahead_of_parsing() {
        use super::{color_arg, ColorWhen};
        let args = |v: &[&str]| -> Vec<std::ffi::OsString> {
            v.iter().map(|s| std::ffi::OsString::from(*s)).collect()
        };
        assert_eq!(
            color_arg(&args(&["treaty", "log", "--color", "never"])),
            Some(ColorWhen::Never)
        );
        assert_eq!(
            color_arg(&args(&["treaty", "--color=always", "x"])),
            Some(ColorWhen::Always)
        );
        assert_eq!(
            color_arg(&args(&["treaty", "log", "--", "--color=always"])),
            None
        );
        assert_eq!(color_arg(&args(&["treaty", "--color", "bogus"])), None);
    }

    #[test]
    fn public_command_hides_gits_drivers() {
        let cmd = super::public_command();
        let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
        assert!(names.contains(&"git-setup") && names.contains(&"disputes"));
        assert!(!names
            .iter()
            .any(|n| *n == "git-diff-driver" || *n == "git-textconv"));
        let all = super::Cli::command();
        assert_eq!(names.len() + 2, all.get_subcommands().count());
    }
}
