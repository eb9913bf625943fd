//! git integration: `treaty init` and `treaty git-setup` register treaty as
//! the diff driver for plans, and the real `git` CLI then shows plans point by
//! point in `git diff`, `git show` and `git log -p`.
//!
//! Tests that need a `git` executable are skipped with a note when there is
//! none, except on CI (`CI` set), where that is a failure.

use std::path::PathBuf;

use crate::common::{Env, Outcome};

/// The `git` executable on PATH, or `None` after a note (a failure on CI).
fn git_or_skip(test: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .map(|d| d.join("git"))
        .find(|p| p.is_file());
    match found {
        Some(git) => Some(git),
        None if std::env::var_os("CI").is_some() => {
            panic!("CI is set but no git executable was found on PATH")
        }
        None => {
            eprintln!("note: {test} skipped: no git executable on PATH");
            None
        }
    }
}

fn git(env: &Env, git: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["--no-pager"];
    all.extend_from_slice(args);
    let out: Outcome = env.run_in(env.root(), git, &all);
    assert_eq!(out.status, 0, "git {args:?} failed:\n{out}");
    out.stdout
}

const HEAD: &str = "[plan]\ntitle = \"Test plan\"\nparties = [\"A\", \"B\"]\n";

fn point(id: &str, number: &str, title: &str, text: &str) -> String {
    format!("\n[[points]]\nid = \"{id}\"\nnumber = \"{number}\"\ntitle = \"{title}\"\ntext = \"{text}\"\n")
}

/// r1: three points. r2: a point inserted first (all others renumbered) and
/// one reworded. Returns the workspace.
fn two_revisions() -> Env {
    let env = Env::workspace();
    let r1 = format!(
        "{HEAD}{}{}{}",
        point(
            "sovereignty",
            "1",
            "Sovereignty",
            "Sovereignty is confirmed."
        ),
        point("nato", "2", "NATO", "NATO will not expand further."),
        point("army", "3", "Army", "The army is capped at 600,000 troops."),
    );
    env.write("plans/p.toml", &r1);
    env.treaty(&["commit", "p", "-m", "first draft"]).ok();
    let r2 = format!(
        "{HEAD}{}{}{}{}",
        point(
            "elections",
            "1",
            "Elections",
            "Elections are held within 100 days."
        ),
        point(
            "sovereignty",
            "2",
            "Sovereignty",
            "Sovereignty is confirmed."
        ),
        point("nato", "3", "NATO", "NATO will never expand further."),
        point("army", "4", "Army", "The army is capped at 600,000 troops."),
    );
    env.write("plans/p.toml", &r2);
    env.treaty(&["commit", "p", "-m", "second draft"]).ok();
    env
}

/// Raw TOML lines of a plan, which a point-level view never shows.
fn assert_no_toml_noise(out: &str) {
    for noise in ["number = \"", "text = \"", "[[points]]"] {
        assert!(!out.contains(noise), "raw TOML line `{noise}` in:\n{out}");
    }
}

#[test]
fn init_registers_the_diff_driver() {
    let env = Env::new();
    let out = env.treaty(&["init"]).ok();
    assert!(out.contains("Added to .gitattributes"), "{out}");
    let attributes = env.read(".gitattributes");
    assert!(attributes.contains("plans/*.toml diff=treaty\n"));
    assert!(attributes.contains("plans/**/*.toml diff=treaty\n"));
    let config = env.repo().config().unwrap();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_treaty")).unwrap();
    let command = config.get_string("diff.treaty.command").unwrap();
    assert_eq!(command, format!("'{}' git-diff-driver", exe.display()));
    let textconv = config.get_string("diff.treaty.textconv").unwrap();
    assert_eq!(textconv, format!("'{}' git-textconv", exe.display()));
    // Only the attributes file is new in the working tree.
    let status: Vec<String> = env.status().into_iter().map(|(p, _)| p).collect();
    assert_eq!(status, [".gitattributes"]);

    let again = env.treaty(&["init"]).ok();
    assert!(again.contains("nothing changed"), "{again}");
    assert_eq!(env.read(".gitattributes"), attributes);
}

#[test]
fn git_setup_keeps_the_users_attributes() {
    let env = Env::new();
    git2::Repository::init(env.root()).unwrap();
    env.write(
        ".gitattributes",
        "*.png binary\n# mine\nplans/*.toml diff=treaty",
    );
    let out = env.treaty(&["git-setup"]).ok();
    assert!(out.contains("plans/**/*.toml diff=treaty"), "{out}");
    assert!(!out.contains("plans/*.toml diff=treaty;"), "{out}");
    assert_eq!(
        env.read(".gitattributes"),
        "*.png binary\n# mine\nplans/*.toml diff=treaty\nplans/**/*.toml diff=treaty\n"
    );
    assert!(
        !env.path("plans").exists(),
        "git-setup creates nothing else"
    );
    let again = env.treaty(&["git-setup"]).ok();
    assert!(again.contains("nothing changed"), "{again}");
}

#[test]
fn git_setup_outside_a_repository_is_refused() {
    let env = Env::new();
    let out = env.treaty(&["git-setup"]).expect(2);
    assert!(out.stderr.contains("error:"), "{out}");
    assert!(!env.path(".gitattributes").exists());
}

#[test]
fn textconv_shows_one_block_per_point() {
    let env = two_revisions();
    let out = env.treaty(&["git-textconv", "plans/p.toml"]).ok();
    assert!(
        out.contains(
            "=== nato: NATO\nnumber 3\nstatus open\n    NATO will never expand further.\n"
        ),
        "{out}"
    );
    // Not a draft: shown as it is, and still a success for git.
    env.write("broken.toml", "[plan\n");
    let out = env.treaty(&["git-textconv", "broken.toml"]).ok();
    assert!(out.starts_with("# not a valid treaty draft") && out.contains("[plan\n"));
}

#[test]
fn diff_driver_takes_gits_seven_arguments() {
    let env = two_revisions();
    env.write(
        "old.toml",
        &format!(
            "{HEAD}{}",
            point("nato", "2", "NATO", "NATO will not expand.")
        ),
    );
    let out = env
        .treaty(&[
            "git-diff-driver",
            "plans/p.toml",
            "old.toml",
            "1234567890abcdef",
            "100644",
            "plans/p.toml",
            "0000000000000000",
            "100644",
        ])
        .ok();
    assert!(
        out.starts_with("diff --treaty a/plans/p.toml b/plans/p.toml\nindex 1234567..0000000\n"),
        "{out}"
    );
    assert!(out.contains("~ 2 → 3  renumbered, reworded"), "{out}");
    assert!(out.contains("    NATO\n"), "{out}");
    assert!(out.contains("[-not-] {+never+}"), "{out}");
    // An added file: the old side is /dev/null.
    let out = env
        .treaty(&[
            "git-diff-driver",
            "plans/p.toml",
            "/dev/null",
            "0000000",
            ".",
            "plans/p.toml",
            "abcdef0",
            "100644",
        ])
        .ok();
    assert!(out.contains("+ 1  added\n    Elections\n"), "{out}");
    // An unmerged path, and a call that is not git's.
    let out = env.treaty(&["git-diff-driver", "plans/p.toml"]).ok();
    assert_eq!(out, "* Unmerged path plans/p.toml\n");
    env.treaty(&["git-diff-driver", "a", "b"]).expect(2);
}

#[test]
fn git_diff_show_and_log_show_points() {
    let Some(git_exe) = git_or_skip("git_diff_show_and_log_show_points") else {
        return;
    };
    let env = two_revisions();

    // git show and git log -p: the textconv view, diffed line by line.
    let show = git(&env, &git_exe, &["show", "HEAD"]);
    assert!(show.contains("second draft"), "{show}");
    assert!(show.contains("-number 2\n+number 3\n"), "{show}");
    assert!(show.contains("+=== elections: Elections\n"), "{show}");
    assert!(
        show.contains("-    NATO will not expand further.\n+    NATO will never expand further.\n"),
        "{show}"
    );
    assert!(show.contains(" === nato: NATO\n"), "{show}");
    assert_no_toml_noise(&show);

    let log = git(&env, &git_exe, &["log", "-p", "--", "plans/p.toml"]);
    assert!(log.contains("first draft") && log.contains("second draft"));
    assert!(
        log.contains("+=== army: Army\n"),
        "the first revision adds every block:\n{log}"
    );
    assert!(log.contains("-number 3\n+number 4\n"), "{log}");
    assert_no_toml_noise(&log);

    // git diff (working tree against the index): the external driver.
    let r3 = env.read("plans/p.toml").replace("600,000", "800,000");
    env.write("plans/p.toml", &r3);
    let diff = git(&env, &git_exe, &["diff"]);
    assert!(
        diff.starts_with("diff --treaty a/plans/p.toml b/plans/p.toml\n"),
        "{diff}"
    );
    assert!(
        diff.contains("~ 4  reworded (number)\n    Army\n"),
        "{diff}"
    );
    assert!(diff.contains("[-600,000-] {+800,000+}"), "{diff}");
    assert!(
        diff.contains("4 → 4 points · 3 unchanged, 1 reworded"),
        "{diff}"
    );
    assert_no_toml_noise(&diff);

    // From a subdirectory, git still finds the driver and the files.
    std::fs::create_dir_all(env.path("notes")).unwrap();
    let out = env.run_in(&env.path("notes"), &git_exe, &["--no-pager", "diff"]);
    assert_eq!(out.status, 0, "{out}");
    assert!(out.stdout.contains("~ 4  reworded"), "{out}");

    // git show --ext-diff runs the driver on a commit: the renumbering is one
    // header per point, the rewording a word diff.
    let ext = git(&env, &git_exe, &["show", "--ext-diff", "HEAD"]);
    assert!(
        ext.contains("~ 2 → 3  renumbered, reworded (negation)\n    NATO\n"),
        "{ext}"
    );
    assert!(ext.contains("+ 1  added\n    Elections\n"), "{ext}");
    assert!(
        ext.contains("~ 1 → 2  renumbered\n    Sovereignty\n"),
        "{ext}"
    );
    assert_no_toml_noise(&ext);

    // The plain line diff is still there when asked for.
    let raw = git(&env, &git_exe, &["diff", "--no-ext-diff", "--no-textconv"]);
    assert!(raw.contains("number = \"4\""), "{raw}");
}

#[test]
fn git_diff_of_an_invalid_draft_falls_back_to_lines() {
    let Some(git_exe) = git_or_skip("git_diff_of_an_invalid_draft_falls_back_to_lines") else {
        return;
    };
    let env = two_revisions();
    let broken = env.read("plans/p.toml").replace(
        "[[points]]\nid = \"army\"",
        "[[points]]\nid = \"army\"\nstauts = \"open\"",
    );
    env.write("plans/p.toml", &broken);
    let diff = git(&env, &git_exe, &["diff"]);
    assert!(diff.contains("showing a line diff"), "{diff}");
    assert!(diff.contains("+stauts = \"open\""), "{diff}");
}
