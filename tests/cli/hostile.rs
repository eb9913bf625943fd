//! Hostile input through the real binary. Whatever a draft file holds, `check`
//! and `show` end within seconds, in bounded memory (each run here gets an
//! address-space limit), with a clear located error or a correct result: never
//! a panic (exit status 101), and never a control character from the file
//! echoed raw to a terminal.

use std::time::Duration;

use crate::common::{Env, Outcome};

/// Address space each run may use (MiB): a few times what the largest of these
/// inputs needs in a debug build.
const MEMORY_MIB: u64 = 2048;

/// How long the slowest case may take in a debug build on a loaded 2-core
/// machine; they take well under this (see the timings in the README).
const SECONDS: u64 = 20;

const HEAD: &str = "[plan]\ntitle = \"T\"\nparties = [\"A\", \"B\"]\n\n";

/// Runs `treaty ARGS` with a memory limit and a deadline; checks it neither
/// panicked nor was killed, and returns its outcome.
#[track_caller]
fn run(env: &Env, args: &[&str]) -> Outcome {
    let (out, took) = env.treaty_limited(MEMORY_MIB, args);
    eprintln!("treaty {}: {took:.2?}", args.join(" "));
    assert!(
        took < Duration::from_secs(SECONDS),
        "treaty {args:?} took {took:?}"
    );
    assert!(
        out.status == 0 || out.status == 2,
        "treaty {args:?} did not end with 0 or 2 (101 is a panic, -1 a signal such as running out of memory):\n{}",
        clip(&out.to_string())
    );
    assert!(!out.stderr.contains("panicked"), "{}", clip(&out.stderr));
    out
}

/// At most 2,000 characters of a long output, for failure messages.
fn clip(s: &str) -> String {
    s.chars().take(2000).collect()
}

/// A draft of `n` points whose text is `text`, numbered 1…n.
fn points(n: usize, text: impl Fn(usize) -> String) -> String {
    let mut s = String::from(HEAD);
    for i in 1..=n {
        s.push_str(&format!(
            "[[points]]\nnumber = \"{i}\"\ntext = \"{}\"\n",
            text(i)
        ));
    }
    s
}

/// Asserts that the output carries none of the escape sequences planted in
/// the drafts below (a painter's own colour codes are allowed).
#[track_caller]
fn no_planted_escape(out: &Outcome) {
    for stream in [&out.stdout, &out.stderr] {
        for planted in [
            "\x1b[2J", "\x1b]0;", "\x1b[6n", "\x1b(0", "\u{9b}", "\x07", "\x08", "\r",
        ] {
            assert!(
                !stream.contains(planted),
                "raw {planted:?} from the file reached the terminal:\n{out}"
            );
        }
    }
}

/// Asserts that the output carries no ESC (nor C1 CSI) byte at all.
#[track_caller]
fn no_escape_at_all(out: &Outcome) {
    assert!(
        !out.stdout.contains(['\x1b', '\u{9b}']) && !out.stderr.contains(['\x1b', '\u{9b}']),
        "ESC in the output:\n{out}"
    );
}

#[test]
fn nul_byte_is_a_located_error() {
    let env = Env::new();
    env.write(
        "d.toml",
        &format!("{HEAD}[[points]]\nnumber = \"1\"\ntext = \"a\0b\"\n"),
    );
    for cmd in ["check", "show"] {
        let out = run(&env, &[cmd, "d.toml"]);
        assert_eq!(out.status, 2);
        assert!(
            out.stderr
                .contains("d.toml:7:10: the file contains a NUL byte"),
            "{out}"
        );
    }
}

#[test]
fn deeply_nested_arrays_are_refused_without_overflowing_the_stack() {
    let env = Env::new();
    let depth = 100_000;
    env.write(
        "closed.toml",
        &format!("{HEAD}x = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
    );
    env.write(
        "unclosed.toml",
        &format!("{HEAD}x = {}\n", "[".repeat(depth)),
    );
    for file in ["closed.toml", "unclosed.toml"] {
        let out = run(&env, &["check", file]);
        assert_eq!(out.status, 2);
        assert!(
            out.stderr.contains(&format!(
                "{file}:5:85: TOML syntax error: nested too deeply"
            )),
            "{}",
            clip(&out.stderr)
        );
    }
}

#[test]
fn deeply_nested_inline_tables_are_refused_without_overflowing_the_stack() {
    let env = Env::new();
    let depth = 100_000;
    env.write(
        "d.toml",
        &format!(
            "{HEAD}x = {}1{}\n",
            "{a = ".repeat(depth),
            "}".repeat(depth)
        ),
    );
    let out = run(&env, &["show", "d.toml"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("d.toml:5:"), "{}", clip(&out.stderr));
    assert!(
        out.stderr.contains("nested too deeply"),
        "{}",
        clip(&out.stderr)
    );
}

#[test]
fn deeply_dotted_key_is_refused_with_its_line() {
    // toml_edit reports a key of more than 80 parts without a place; the error
    // used to name no line at all.
    let env = Env::new();
    let key = vec!["a"; 100_000].join(".");
    env.write("key.toml", &format!("{HEAD}{key} = 1\n"));
    env.write("header.toml", &format!("{HEAD}[{key}]\n"));
    for file in ["key.toml", "header.toml"] {
        let out = run(&env, &["check", file]);
        assert_eq!(out.status, 2);
        assert!(
            out.stderr
                .contains(&format!("{file}:5:1: TOML syntax error: nested too deeply")),
            "{}",
            clip(&out.stderr)
        );
    }
}

#[test]
fn ten_megabyte_point_is_checked_and_shown() {
    let env = Env::new();
    let n = (10 << 20) / "word [a][b] ".len();
    let text = "word [a][b] ".repeat(n);
    let text = text.trim_end();
    env.write("big.toml", &points(1, |_| text.to_string()));
    let out = run(&env, &["check", "big.toml"]);
    assert_eq!(
        out.stdout,
        format!("big.toml: 1 point · 0 agreed, 0 disputed, 1 open · {n} brackets\n")
    );
    let out = run(&env, &["show", "--format", "json", "big.toml"]);
    assert_eq!(out.status, 0);
    assert_eq!(out.json()["points"][0]["text"].as_str(), Some(text));
}

#[test]
fn error_on_a_ten_megabyte_line_shows_only_a_window_of_it() {
    // The whole offending line used to be echoed: 10 MB to the terminal.
    let env = Env::new();
    let text = format!("{}[never closed", "x".repeat(10 << 20));
    env.write("big.toml", &points(1, |_| text.clone()));
    let out = run(&env, &["check", "big.toml"]);
    assert_eq!(out.status, 2);
    let column = "text = \"".len() + (10 << 20) + 1;
    assert!(
        out.stderr
            .contains(&format!("big.toml:7:{column}: unbalanced brackets")),
        "{}",
        clip(&out.stderr)
    );
    assert!(out.stderr.len() < 4000, "{}", clip(&out.stderr));
    // The marker still stands under the bracket.
    let lines: Vec<&str> = out.stderr.lines().collect();
    let shown = lines
        .iter()
        .position(|l| l.starts_with("7 | "))
        .expect("source line");
    let at = lines[shown]
        .chars()
        .position(|c| c == '[')
        .expect("bracket shown");
    assert_eq!(lines[shown + 1].chars().position(|c| c == '^'), Some(at));
}

#[test]
fn two_hundred_thousand_points_are_checked_in_seconds() {
    // Finding the line of every number and id counted newlines from the top of
    // the file for each point: 200,000 points took minutes.
    let env = Env::new();
    let n = 200_000;
    let mut src = points(n, |i| format!("Point {i} [may][shall] hold."));
    env.write("many.toml", &src);
    let out = run(&env, &["check", "many.toml"]);
    assert_eq!(
        out.stdout,
        format!("many.toml: {n} points · 0 agreed, 0 disputed, {n} open · {n} brackets\n")
    );
    // A duplicate at the very end is still found, at the right line.
    src.push_str("[[points]]\nnumber = \"7\"\ntext = \"again\"\n");
    env.write("many.toml", &src);
    let out = run(&env, &["check", "many.toml"]);
    let line = 4 + 3 * n + 2;
    assert!(
        out.stderr
            .contains(&format!("many.toml:{line}:10: duplicate number \"7\"")),
        "{}",
        clip(&out.stderr)
    );
    assert!(out
        .stderr
        .contains("point 7 (line 24) already has this number"));
}

#[test]
fn two_hundred_thousand_broken_points_report_a_bounded_number_of_errors() {
    let env = Env::new();
    let mut src = String::from(HEAD);
    for _ in 0..200_000 {
        src.push_str("[[points]]\nnumber = \"1\"\n");
    }
    env.write("bad.toml", &src);
    let out = run(&env, &["check", "bad.toml"]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .starts_with("error: bad.toml is not a valid draft (399999 errors)\n"),
        "{}",
        clip(&out.stderr)
    );
    assert!(out
        .stderr
        .contains("bad.toml: … and 399499 more errors not shown"));
    assert!(out.stderr.len() < 200_000, "{} bytes", out.stderr.len());
    let out = run(&env, &["check", "--format", "json", "bad.toml"]);
    assert_eq!(
        out.json()["files"][0]["errors"].as_array().map(Vec::len),
        Some(501)
    );
}

#[test]
fn many_errors_on_one_long_line_stay_bounded() {
    // Every diagnostic on a long line held a copy of the line: 300,000 errors
    // on one 4.5 MB line meant quadratic time and memory.
    let env = Env::new();
    let inline = vec!["{number = \"1\"}"; 300_000].join(",");
    env.write(
        "line.toml",
        &format!("points = [{inline}]\n[plan]\ntitle = \"T\"\n"),
    );
    let out = run(&env, &["check", "line.toml"]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("line.toml:1:11: point 1 has no `text`"),
        "{}",
        clip(&out.stderr)
    );
    assert!(out.stderr.contains("more errors not shown"));
    assert!(out.stderr.len() < 10_000, "{}", clip(&out.stderr));
}

#[cfg(unix)]
#[test]
fn endless_file_is_refused_after_64_mib() {
    let env = Env::new();
    let out = run(&env, &["check", "/dev/zero"]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .contains("/dev/zero: the file is larger than 64 MiB"),
        "{out}"
    );
}

#[test]
fn directory_given_as_a_draft_is_a_clear_error() {
    let env = Env::new();
    std::fs::create_dir_all(env.path("drafts")).expect("mkdir");
    let out = run(&env, &["check", "drafts/"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("error: cannot read "), "{out}");
    assert!(out.stderr.contains("caused by: "), "{out}");
}

/// A draft with control characters and terminal escapes everywhere a string
/// may go: title, parties, source, point titles, texts and notes.
const ESCAPES: &str = r#"[plan]
title = "Plan \u001b[2J\u001b]0;pwned\u0007 title"
parties = ["A\u001b[6n", "B\u009b2J"]

[draft]
source = "from \u001b[2J somewhere\r"

[[points]]
number = "1"
title = "T\b\b\bX"
text = """Line one \u001b(0 \u0007
line two [a\u009b2J][b]\r"""
positions = { "A\u001b[6n" = "accept", "B\u009b2J" = "reject" }
notes = "note \u001b[2J"
"#;

#[test]
fn escapes_in_a_draft_never_reach_the_terminal() {
    let env = Env::new();
    env.write("esc.toml", ESCAPES);
    for color in ["never", "always"] {
        for format in ["text", "markdown", "json"] {
            let out = run(
                &env,
                &["show", "--color", color, "--format", format, "esc.toml"],
            );
            assert_eq!(out.status, 0, "{out}");
            no_planted_escape(&out);
            if color == "never" {
                no_escape_at_all(&out);
            }
            if format == "text" {
                // Made visible, not dropped.
                assert!(out.stdout.contains("Plan ␛[2J␛]0;pwned␇ title"), "{out}");
                assert!(out.stdout.contains("A␛[6n"), "{out}");
            }
        }
    }
    let out = run(&env, &["show", "--format", "json", "esc.toml"]);
    assert_eq!(
        out.json()["plan"]["title"],
        "Plan \u{1b}[2J\u{1b}]0;pwned\u{7} title"
    );
}

#[test]
fn escapes_in_error_messages_are_neutralised() {
    // Party names went raw into error messages and hints ("did you mean
    // `A<ESC>[6n`?", "duplicate party", "the plan's parties are …").
    let env = Env::new();
    env.write(
        "bad.toml",
        r#"[plan]
title = "x"
parties = ["Ukraine\u001b[2J", "Ukraine\u001b[2J", "Russia"]

[[points]]
number = "1"
text = "x"
positions = { "Ukraine\u001b[2K" = "accept", "Zz\u001b]0;" = "accept" }
status = "a\u001b[2Jgreed"
"st\u001b[6nx" = 1

[[points]]
id = "\u001b[2J"
number = "2"
text = "y"
"#,
    );
    for color in ["never", "always"] {
        for format in ["text", "json"] {
            let out = run(
                &env,
                &["check", "--color", color, "--format", format, "bad.toml"],
            );
            assert_eq!(out.status, 2);
            no_planted_escape(&out);
            // `--color always` colours the `error:` prefix; nothing else.
            if color == "never" {
                no_escape_at_all(&out);
            }
            assert!(!out.stderr.contains("\x1b]0;") && !out.stderr.contains("\x1b[2K"));
            if format == "text" {
                assert!(
                    out.stderr.contains("duplicate party `Ukraine␛[2J`"),
                    "{out}"
                );
                assert!(out.stderr.contains("did you mean `Ukraine␛[2J`?"), "{out}");
                assert!(
                    out.stderr.contains("parties are Ukraine␛[2J, Russia"),
                    "{out}"
                );
            }
        }
    }
}

#[test]
fn right_to_left_and_combining_text_is_shown_intact() {
    let env = Env::new();
    let title = "خطة السلام — תוכנית שלום";
    let party = "ישראל";
    let text = "Café au lait, e\u{301}lan, שָׁלוֹם, الضفة الغربية [نعم][لا] \u{200f}end";
    env.write(
        "rtl.toml",
        &format!(
            "[plan]\ntitle = \"{title}\"\nparties = [\"{party}\", \"مصر\"]\n\n[[points]]\nnumber = \"١\"\ntitle = \"ح\u{64e}\"\ntext = \"{text}\"\npositions = {{ \"{party}\" = \"accept\" }}\n"
        ),
    );
    let out = run(&env, &["show", "--color", "never", "rtl.toml"]);
    assert_eq!(out.status, 0);
    for shown in [title, text, "ישראל accept", "١.", "ح\u{64e}"] {
        assert!(out.stdout.contains(shown), "{shown:?} not in:\n{out}");
    }
    let v = run(&env, &["show", "--format", "json", "rtl.toml"]).json();
    assert_eq!(v["plan"]["title"], title);
    assert_eq!(v["points"][0]["text"], text);
    assert_eq!(v["points"][0]["brackets"], 1);
    assert_eq!(v["points"][0]["positions"][party], "accept");
}

#[test]
fn columns_count_characters_in_right_to_left_and_combining_lines() {
    let env = Env::new();
    // Hebrew with points (combining marks) and Arabic, then an unclosed bracket.
    let before = "שָׁלוֹם ועוד e\u{301}e\u{301} سلام ";
    let line = format!("text = \"{before}[open\"");
    env.write(
        "col.toml",
        &format!("{HEAD}[[points]]\nnumber = \"1\"\n{line}\n"),
    );
    let out = run(&env, &["check", "col.toml"]);
    assert_eq!(out.status, 2);
    let column = line.chars().position(|c| c == '[').expect("bracket") + 1;
    assert!(
        out.stderr
            .contains(&format!("col.toml:7:{column}: unbalanced brackets")),
        "{out}"
    );
    assert!(out.stderr.contains(&format!("7 | {line}")), "{out}");
    let json = run(&env, &["check", "--format", "json", "col.toml"]).json();
    assert_eq!(json["files"][0]["errors"][0]["column"], column);
}

#[test]
fn invalid_utf8_is_a_located_error() {
    let env = Env::new();
    let mut bytes = format!("{HEAD}[[points]]\nnumber = \"1\"\ntext = \"ab").into_bytes();
    bytes.extend_from_slice(b"\xc3\x28 \xff\"\n");
    std::fs::write(env.path("bad.toml"), &bytes).expect("write");
    for cmd in ["check", "show"] {
        let out = run(&env, &[cmd, "bad.toml"]);
        assert_eq!(out.status, 2);
        assert!(
            out.stderr
                .contains("bad.toml:7:11: invalid UTF-8 (byte 0xc3)"),
            "{out}"
        );
        assert!(out.stderr.contains("save the file as UTF-8"), "{out}");
    }
}

#[cfg(unix)]
#[test]
fn symlinked_draft_outside_the_directory_is_read() {
    // `check FILE` reads the user's file wherever a link leads.
    let env = Env::new();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let target = elsewhere.path().join("received.toml");
    std::fs::write(&target, points(2, |i| format!("Point {i}."))).expect("write");
    std::os::unix::fs::symlink(&target, env.path("link.toml")).expect("symlink");
    let out = run(&env, &["check", "link.toml"]);
    assert_eq!(
        out.stdout,
        "link.toml: 2 points · 0 agreed, 0 disputed, 2 open · 0 brackets\n"
    );
}

#[test]
fn plan_names_cannot_lead_outside_the_repository() {
    let env = Env::new();
    git2::Repository::init(env.root()).expect("git init");
    env.write("plans/ok.toml", &points(1, |_| "x".into()));
    env.write("secret.toml", &points(1, |_| "secret".into()));
    env.write("plans/..toml", &points(1, |_| "dots".into()));
    for name in ["..", ".", "", "OK", "a b", "a.b", "ok\u{1b}[2J"] {
        for cmd in ["check", "show"] {
            let out = run(&env, &[cmd, name]);
            assert_eq!(out.status, 2, "{cmd} {name:?}:\n{out}");
            assert!(
                out.stderr.contains("invalid plan name"),
                "{cmd} {name:?}:\n{out}"
            );
            assert!(!out.stdout.contains("secret") && !out.stdout.contains("dots"));
            no_escape_at_all(&out);
        }
    }
    // With a slash or a .toml ending it is a path, as the user wrote it.
    let out = run(&env, &["check", "plans/../secret.toml"]);
    assert_eq!(out.status, 0);
    let out = run(&env, &["show", "../nowhere"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("error: cannot read "), "{out}");
    assert!(out.stderr.contains("nowhere"), "{out}");
    // A valid name reads plans/<name>.toml and nothing else.
    assert_eq!(
        run(&env, &["check", "ok"]).stdout,
        "plans/ok.toml: 1 point · 0 agreed, 0 disputed, 1 open · 0 brackets\n"
    );
}

#[cfg(unix)]
#[test]
fn plan_file_symlinked_out_of_the_repository_is_refused() {
    let env = Env::new();
    git2::Repository::init(env.root()).expect("git init");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let target = elsewhere.path().join("x.toml");
    std::fs::write(&target, points(1, |_| "outside".into())).expect("write");
    std::fs::create_dir_all(env.path("plans")).expect("mkdir");
    std::os::unix::fs::symlink(&target, env.path("plans/x.toml")).expect("symlink");
    for args in [
        &["show", "x"][..],
        &["check", "x"],
        &["position", "x", "1", "A", "accept"],
    ] {
        let out = run(&env, args);
        assert_eq!(out.status, 2, "{args:?}: {out}");
        assert!(!out.stdout.contains("outside"), "{args:?}: {out}");
        assert!(
            out.stderr.contains("out of the repository"),
            "{args:?}: {out}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        points(1, |_| "outside".into())
    );
}

#[test]
fn thirty_thousand_parties_are_checked_and_shown_in_seconds() {
    // Every position was compared with every party: 30,000 parties taking
    // positions on three points took over 30 seconds to check or show.
    let env = Env::new();
    let n = 30_000;
    let parties: Vec<String> = (0..n).map(|i| format!("\"P{i}\"")).collect();
    let positions: Vec<String> = (0..n).map(|i| format!("P{i} = \"accept\"")).collect();
    let mut src = format!(
        "[plan]\ntitle = \"T\"\nparties = [{}]\n",
        parties.join(", ")
    );
    for j in 1..=3 {
        src.push_str(&format!(
            "\n[[points]]\nnumber = \"{j}\"\ntext = \"x\"\npositions = {{ {} }}\n",
            positions.join(", ")
        ));
    }
    env.write("many.toml", &src);
    let out = run(&env, &["check", "many.toml"]);
    assert_eq!(
        out.stdout,
        "many.toml: 3 points · 3 agreed, 0 disputed, 0 open · 0 brackets\n"
    );
    let out = run(&env, &["show", "many.toml"]);
    assert!(
        out.stdout.contains("P0 accept · P1 accept"),
        "{}",
        clip(&out.stdout)
    );
    // A stranger's position: the hint names a few parties, not 30,000.
    src.push_str("\n[[points]]\nnumber = \"4\"\ntext = \"x\"\nstatus = \"agreed\"\n");
    src.push_str(&format!(
        "positions = {{ Q = \"accept\", {} }}\n",
        positions[1..].join(", ")
    ));
    env.write("many.toml", &src);
    let out = run(&env, &["check", "many.toml"]);
    assert!(
        out.stderr
            .contains("the plan's parties are P0, P1, P2, P3, P4, P5, P6, P7 and 29992 more;"),
        "{}",
        clip(&out.stderr)
    );
    assert!(out.stderr.len() < 5000, "{}", clip(&out.stderr));
}

#[test]
fn number_longer_than_65535_characters_is_shown() {
    // `show` aligned numbers with `format!("{:>width$}")`, which panics past a
    // width of 65,535: one long number made `show` exit 101.
    let env = Env::new();
    let long = "9".repeat(100_000);
    let mut src = format!("{HEAD}[[points]]\nnumber = \"{long}\"\ntext = \"long\"\n");
    for i in 1..=300 {
        src.push_str(&format!("[[points]]\nnumber = \"{i}\"\ntext = \"a\\nb\"\n"));
    }
    env.write("long.toml", &src);
    for format in ["text", "markdown", "json"] {
        let out = run(&env, &["show", "--format", format, "long.toml"]);
        assert_eq!(out.status, 0, "{}", clip(&out.stderr));
        assert!(out.stdout.contains(&long));
        assert!(out.stdout.len() < 200_000, "{} bytes", out.stdout.len());
    }
}

#[test]
fn five_megabyte_key_is_reported_briefly() {
    // The unknown key was echoed whole in the message (5 MB to the terminal),
    // and "did you mean" compared it with every allowed key (5 seconds).
    let env = Env::new();
    let key = "k".repeat(5 << 20);
    env.write(
        "key.toml",
        &format!("[plan]\ntitle = \"T\"\n{key} = 1\n[[points]]\nnumber = \"1\"\ntext = \"x\"\n"),
    );
    let out = run(&env, &["check", "key.toml"]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("key.toml:3:1: unknown key `kkk"),
        "{}",
        clip(&out.stderr)
    );
    assert!(out.stderr.len() < 2000, "{}", clip(&out.stderr));
}

/// The drafts in `tests/fixtures/regressions/`: inputs that once broke
/// something (or that a fuzzer found), kept so they never do again.
fn regression_fixtures() -> Vec<std::path::PathBuf> {
    let dir = crate::common::project_root().join("tests/fixtures/regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/regressions")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

#[test]
fn regression_fixtures_neither_panic_nor_leak_escapes() {
    let env = Env::new();
    for file in regression_fixtures() {
        let file = file.display().to_string();
        for format in ["text", "json"] {
            let out = run(&env, &["check", "--format", format, &file]);
            no_planted_escape(&out);
            no_escape_at_all(&out);
        }
        for color in ["never", "always"] {
            for format in ["text", "markdown", "json"] {
                let out = run(&env, &["show", "--color", color, "--format", format, &file]);
                no_planted_escape(&out);
                if color == "never" {
                    no_escape_at_all(&out);
                }
            }
        }
    }
}
