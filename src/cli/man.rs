//! `treaty man`: the manual page, generated from the same definitions as
//! `--help`.

use super::Context;

/// Print the manual page (roff) on standard output: every command with its
/// options, the environment, and the exit statuses.
///
/// Examples:
///   treaty man > ~/.local/share/man/man1/treaty.1
///   treaty man | man -l -
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> treaty::Result<i32> {
    let page = page()?;
    // Roff is for `man`, not for reading: never paged.
    ctx.write(&page)?;
    Ok(super::exit::OK)
}

/// One section rendered by clap_mangen, as text.
fn section(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> treaty::Result<String> {
    let mut out = Vec::new();
    render(&mut out).map_err(|e| treaty::Error::Internal {
        message: format!("cannot render the manual page: {e}"),
    })?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The apostrophe preamble clap_mangen writes before every piece.
const PREAMBLE: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];

fn strip_preamble(s: &str) -> String {
    s.lines()
        .filter(|l| !PREAMBLE.contains(l))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The whole page: the usual sections for `treaty`, then one subsection per
/// command (its synopsis, description and options), the environment and the
/// exit statuses.
pub fn page() -> treaty::Result<String> {
    let cmd = super::public_command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = format!("{}\n{}\n", PREAMBLE[0], PREAMBLE[1]);
    for piece in [
        section(|w| man.render_title(w))?,
        section(|w| man.render_name_section(w))?,
        section(|w| man.render_synopsis_section(w))?,
        section(|w| man.render_description_section(w))?,
        section(|w| man.render_options_section(w))?,
    ] {
        out.push_str(&strip_preamble(&piece));
    }
    out.push_str(".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        let name = format!("treaty {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().name(&name));
        let synopsis = strip_preamble(&section(|w| man.render_synopsis_section(w))?);
        let description = strip_preamble(&section(|w| man.render_description_section(w))?);
        let options = strip_preamble(&section(|w| man.render_options_section(w))?);
        out.push_str(&format!(".SS \"{name}\"\n"));
        out.push_str(&synopsis.replacen(".SH SYNOPSIS\n", "", 1));
        out.push_str(&description.replacen(".SH DESCRIPTION\n", ".PP\n", 1));
        out.push_str(&options.replace(".SH OPTIONS\n", ".PP\nOptions:\n"));
    }
    out.push_str(
        &strip_preamble(&section(|w| man.render_extra_section(w))?).replacen(
            ".SH EXTRA\n",
            ".SH EXAMPLES\n",
            1,
        ),
    );
    out.push_str(EPILOGUE);
    Ok(out)
}

/// Sections the command definitions do not hold.
const EPILOGUE: &str = r#".SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set and not empty, no colour unless \fB\-\-color always\fR is given.
.TP
\fBTREATY_PAGER\fR, \fBPAGER\fR
The pager for long output on a terminal (default \fBless\fR); \fBcat\fR or
an empty value turns paging off, as does \fB\-\-no\-pager\fR.
.TP
\fBLESS\fR
Options for \fBless\fR; \fBFRX\fR when unset, so that short output is not paged.
.TP
\fBGIT_CONFIG_GLOBAL\fR, \fBGIT_CONFIG_NOSYSTEM\fR, \fBGIT_DIR\fR, \fBGIT_CEILING_DIRECTORIES\fR
Read as git reads them when finding and opening the repository.
.SH GIT
\fBtreaty init\fR and \fBtreaty git\-setup\fR register treaty as git's diff
driver for \fIplans/*.toml\fR: \fBgit diff\fR then prints treaty's point\-level
diff, and \fBgit show\fR and \fBgit log \-p\fR compare one block per point, so a
renumbering is one changed \fBnumber\fR line instead of a wall of TOML lines.
\fBgit diff \-\-no\-ext\-diff \-\-no\-textconv\fR shows the raw lines.
.SH EXIT STATUS
.TP
\fB0\fR
Success.
.TP
\fB1\fR
Only when asked: \fB\-\-exit\-code\fR with differences or points not agreed.
.TP
\fB2\fR
Bad input or usage: an unknown plan or revision, an invalid draft.
.TP
\fB3\fR
An internal or repository failure.
.SH SEE ALSO
\fBgit\fR(1), \fBgitattributes\fR(5)
"#;
