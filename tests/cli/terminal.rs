//! Terminal behaviour through the binary: shell completions, the manual page,
//! `--color` and `NO_COLOR`, the pager, and the progress line.
//!
//! Tests that need a terminal run the binary under `script` (util-linux), which
//! gives it one; they are skipped with a note where `script` is missing.

use std::path::PathBuf;

use crate::common::{draft, ukraine_drafts, Env};

const ESC: char = '\x1b';

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.treaty(&["completions", shell]).ok();
        assert!(out.len() > 1000, "{shell}: {} bytes", out.len());
        for sub in [
            "init",
            "commit",
            "log",
            "disputes",
            "history",
            "git-setup",
            "man",
        ] {
            assert!(out.contains(sub), "{shell} completions miss {sub}");
        }
        for hidden in ["git-diff-driver", "git-textconv"] {
            assert!(!out.contains(hidden), "{shell} completions offer {hidden}");
        }
    }
    env.treaty(&["completions", "tcsh"]).expect(2);
}

#[test]
fn man_prints_one_roff_page() {
    let env = Env::new();
    let out = env.treaty(&["man"]).ok();
    assert!(
        out.starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH treaty 1"),
        "{}",
        &out[..200.min(out.len())]
    );
    assert_eq!(out.matches("\n.TH ").count(), 1, "one page");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH COMMANDS",
        ".SH EXAMPLES",
        ".SH ENVIRONMENT",
        ".SH EXIT STATUS",
    ] {
        assert!(out.contains(section), "no {section}");
    }
    for sub in ["init", "commit", "disputes", "git-setup"] {
        assert!(
            out.contains(&format!(".SS \"treaty {sub}\"")),
            "no section for {sub}"
        );
    }
    assert!(out.contains("NO_COLOR"));
    assert!(!out.contains("git-diff-driver") && !out.contains("git\\-diff\\-driver"));
}

/// A draft with a disputed point and a bracket, so output has colour to show.
fn coloured_draft(env: &Env) -> String {
    env.write(
        "d.toml",
        "[plan]\ntitle = \"T\"\nparties = [\"A\", \"B\"]\n\n[[points]]\nnumber = \"1\"\ntext = \"A [b] c.\"\npositions = { A = \"reject\" }\n",
    );
    "d.toml".to_string()
}

#[test]
fn color_follows_the_option_then_the_environment() {
    let mut env = Env::new();
    let file = coloured_draft(&env);
    let show = |env: &Env, color: &str| env.treaty(&["show", &file, "--color", color]).ok();
    // Not a terminal: auto means no colour.
    assert!(!show(&env, "auto").contains(ESC));
    assert!(show(&env, "always").contains(ESC));
    assert!(!show(&env, "never").contains(ESC));

    env.vars.push(("CLICOLOR_FORCE".into(), "1".into()));
    assert!(
        show(&env, "auto").contains(ESC),
        "CLICOLOR_FORCE colours auto"
    );
    env.vars.push(("NO_COLOR".into(), "1".into()));
    assert!(
        !show(&env, "auto").contains(ESC),
        "NO_COLOR wins over CLICOLOR_FORCE"
    );
    assert!(
        show(&env, "always").contains(ESC),
        "an explicit --color always wins"
    );

    // Errors and clap's own help follow --color too.
    let out = env
        .treaty(&["--color", "always", "show", "missing.toml"])
        .expect(2);
    assert!(!out.stdout.contains(ESC));
    assert!(out.stderr.starts_with("\x1b[1;31merror\x1b[0m"), "{out}");
    let out = env
        .treaty(&["--color", "never", "show", "missing.toml"])
        .expect(2);
    assert!(out.stderr.starts_with("error: "), "{out}");
    let help = env.treaty(&["--color=always", "--help"]).ok();
    assert!(help.contains(ESC));
    let help = env.treaty(&["--color=never", "--help"]).ok();
    assert!(!help.contains(ESC));
}

/// A pager that leaves a mark, so a test can tell whether it ran.
fn marking_pager(env: &mut Env) -> PathBuf {
    let mark = env.path("pager-ran");
    env.vars.push((
        "PAGER".into(),
        format!("touch '{}'; cat > /dev/null", mark.display()),
    ));
    mark
}

fn long_draft(env: &Env) -> String {
    env.write("long.toml", &draft(40));
    "long.toml".to_string()
}

#[test]
fn no_pager_when_stdout_is_not_a_terminal() {
    let mut env = Env::new();
    let mark = marking_pager(&mut env);
    let file = long_draft(&env);
    let out = env.treaty(&["show", &file]).ok();
    assert!(out.contains("Point 40 says"), "the text itself is printed");
    assert!(!mark.exists(), "a pager ran with stdout not a terminal");
}

/// `script`, to run a command on a pseudo-terminal.
fn script_or_skip(test: &str) -> Option<PathBuf> {
    let found = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!("note: {test} skipped: no `script` to give treaty a terminal");
    }
    found
}

/// Runs `treaty ARGS` on a terminal (stdout and stderr) through `script`;
/// returns what the terminal received.
fn on_terminal(env: &Env, script: &std::path::Path, args: &str) -> String {
    let log = env.path("typescript");
    let command = format!("'{}' {args}", env!("CARGO_BIN_EXE_treaty"));
    let out = env
        .command(script)
        .args(["-qec", &command])
        .arg(&log)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&log).unwrap_or_default()
}

#[test]
fn long_output_on_a_terminal_is_paged() {
    let Some(script) = script_or_skip("long_output_on_a_terminal_is_paged") else {
        return;
    };
    let mut env = Env::new();
    let mark = marking_pager(&mut env);
    let file = long_draft(&env);
    on_terminal(&env, &script, &format!("show {file} --no-pager"));
    assert!(!mark.exists(), "--no-pager");
    let short = coloured_draft(&env);
    on_terminal(&env, &script, &format!("show {short}"));
    assert!(!mark.exists(), "short output is not paged");
    let shown = on_terminal(&env, &script, &format!("show {file}"));
    assert!(mark.exists(), "the pager ran");
    assert!(!shown.contains("Point 40 says"), "the pager took the text");
    // On a terminal, colour is on unless NO_COLOR.
    let coloured = on_terminal(&env, &script, &format!("show {short}"));
    assert!(coloured.contains(ESC));
    env.vars.push(("NO_COLOR".into(), "1".into()));
    let plain = on_terminal(&env, &script, &format!("show {short}"));
    assert!(!plain.contains(ESC), "{plain:?}");
}

#[test]
fn a_missing_pager_does_not_lose_the_output() {
    let Some(script) = script_or_skip("a_missing_pager_does_not_lose_the_output") else {
        return;
    };
    let mut env = Env::new();
    env.vars
        .push(("PAGER".into(), "no-such-pager-anywhere".into()));
    let file = long_draft(&env);
    let shown = on_terminal(&env, &script, &format!("show {file}"));
    assert!(shown.contains("Point 40 says"), "{shown}");
    env.vars
        .push(("TREATY_PAGER".into(), "no-such-pager -x".into()));
    let shown = on_terminal(&env, &script, &format!("show {file}"));
    assert!(shown.contains("Point 40 says"));
}

#[test]
fn no_progress_line_off_a_terminal() {
    let env = Env::new();
    let files = ukraine_drafts();
    let mut args = vec!["disputes"];
    args.extend(files.iter().map(String::as_str));
    let out = env.treaty(&args).expect(0);
    assert!(out.stderr.is_empty(), "{out}");
}
