//! `treaty import`: published texts become drafts. The fixtures in
//! `tests/fixtures/import/` hold one text per numbering style with the draft
//! expected from it (`<style>.toml`) and, where the import warns, the expected
//! warnings (`<style>.warnings`); a fixture without one must import silently.

use std::path::PathBuf;

use treaty::Plan;

use crate::common::{project_root, Env};

fn fixtures() -> PathBuf {
    project_root().join("tests/fixtures/import")
}

/// Every point as `number | title | text`, to show a mismatch point by point.
fn listing(plan: &Plan) -> String {
    plan.points
        .iter()
        .map(|p| {
            format!(
                "{} | {} | {:?}\n",
                p.number,
                p.title.as_deref().unwrap_or("-"),
                p.text
            )
        })
        .collect()
}

#[test]
fn every_fixture_imports_as_expected() {
    let env = Env::new();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 13, "fixtures missing: {inputs:?}");
    for input in inputs {
        let name = input.file_name().unwrap().to_str().unwrap().to_string();
        let expected_path = input.with_extension("toml");
        let expected = Plan::read(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let out = env.treaty_in(&fixtures(), &["import", &name]);
        assert_eq!(out.status, 0, "{name}:\n{out}");
        let got = Plan::parse(&out.stdout, &name)
            .unwrap_or_else(|e| panic!("{name}: output is not a valid draft: {e}\n{out}"));
        assert_eq!(
            listing(&got),
            listing(&expected),
            "{name}: points differ (left: imported, right: expected)"
        );
        assert_eq!(got, expected, "{name}: plan differs");
        let warnings =
            std::fs::read_to_string(input.with_extension("warnings")).unwrap_or_default();
        assert_eq!(out.stderr, warnings, "{name}: warnings differ");

        // What import prints passes `treaty check`.
        env.write("imported.toml", &out.stdout);
        env.treaty(&["check", "imported.toml"]).ok();
    }
}

const SKIPPED: &str = "Plan\n\n1. One.\n2. Two.\n4. Four.\n";
const REPEATED: &str = "Plan\n\n1. One.\n2. Two.\n3. Three.\n2. Two again.\n";

#[test]
fn output_file_is_written_with_a_summary() {
    let env = Env::new();
    env.write("received.txt", SKIPPED);
    let out = env
        .treaty(&["import", "received.txt", "-o", "drafts/out.toml"])
        .expect(0);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .ends_with("wrote drafts/out.toml: 3 points (1 warning)\n"),
        "{out}"
    );
    let plan = Plan::read(&env.path("drafts/out.toml")).unwrap();
    assert_eq!(plan.points.len(), 3);
    // Atomic: no temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(env.path("drafts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["out.toml"]);
    env.treaty(&["check", "drafts/out.toml"]).ok();

    // An existing file is replaced.
    env.write("received.txt", "Plan\n\n1. Only.\n");
    env.treaty(&["import", "received.txt", "-o", "drafts/out.toml"])
        .expect(0);
    assert_eq!(
        Plan::read(&env.path("drafts/out.toml"))
            .unwrap()
            .points
            .len(),
        1
    );
}

#[test]
fn skipped_number_warns_naming_its_line() {
    let env = Env::new();
    env.write("s.txt", SKIPPED);
    let out = env.treaty(&["import", "s.txt"]).expect(0);
    assert_eq!(
        out.stderr,
        "warning: s.txt:5: point 3 is missing: point 2 is followed by point 4 at line 5 (numbering kept as written)\n"
    );
    let plan = Plan::parse(&out.stdout, "stdout").unwrap();
    let numbers: Vec<&str> = plan.points.iter().map(|p| p.number.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "4"]);
}

#[test]
fn repeated_number_exits_2_and_writes_nothing() {
    let env = Env::new();
    env.write("r.txt", REPEATED);
    let out = env.treaty(&["import", "r.txt", "-o", "out.toml"]).expect(2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains(
            "r.txt:6:1: point 2 at line 6 is numbered again: point 2 already starts at line 4"
        ),
        "{out}"
    );
    assert!(!env.path("out.toml").exists());

    // An existing output file is left exactly as it was.
    env.write("out.toml", "keep me\n");
    env.treaty(&["import", "r.txt", "-o", "out.toml"]).expect(2);
    assert_eq!(env.read("out.toml"), "keep me\n");
    let names: Vec<String> = std::fs::read_dir(env.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn numbering_restarting_in_a_section_is_an_error() {
    let env = Env::new();
    env.write(
        "s.md",
        "# Plan\n\n## Security\n\n1. One.\n2. Two.\n\n## Economy\n\n1. Again.\n",
    );
    let out = env.treaty(&["import", "s.md"]).expect(2);
    assert!(
        out.stderr
            .contains("s.md:10:1: point 1 at line 10 is numbered again"),
        "{out}"
    );
    assert!(
        out.stderr.contains("restarts after the heading at line 8"),
        "{out}"
    );
}

#[test]
fn reads_standard_input() {
    let env = Env::new();
    let out = env
        .treaty_stdin(&["import", "-"], SKIPPED.as_bytes())
        .expect(0);
    assert!(
        out.stderr
            .starts_with("warning: <stdin>:5: point 3 is missing"),
        "{out}"
    );
    let plan = Plan::parse(&out.stdout, "stdout").unwrap();
    assert_eq!(plan.title.as_deref(), Some("Plan"));

    let out = env
        .treaty_stdin(&["import", "-", "-o", "in.toml"], b"T\n1. x\n")
        .expect(0);
    assert!(
        out.stderr.contains("wrote in.toml: 1 point (0 warnings)"),
        "{out}"
    );
}

#[test]
fn draft_options_fill_plan_and_draft_tables() {
    let env = Env::new();
    env.write("t.txt", "Original title\n1. One.\n");
    let stdout = env
        .treaty(&[
            "import",
            "t.txt",
            "--title",
            "Peace plan",
            "--party",
            "US",
            "--party",
            "Ukraine",
            "--label",
            "geneva",
            "--date",
            "2025-11-23",
            "--source",
            "Reported by the press",
            "--provenance",
            "reported",
        ])
        .ok();
    let plan = Plan::parse(&stdout, "stdout").unwrap();
    assert_eq!(plan.title.as_deref(), Some("Peace plan"));
    assert_eq!(plan.parties, ["US", "Ukraine"]);
    assert_eq!(plan.draft.label.as_deref(), Some("geneva"));
    assert_eq!(plan.draft.date.as_deref(), Some("2025-11-23"));
    assert_eq!(plan.draft.source.as_deref(), Some("Reported by the press"));
    assert_eq!(
        plan.draft.provenance,
        Some(treaty::plan::Provenance::Reported)
    );
    assert!(stdout.contains("date = 2025-11-23\n"), "{stdout}");
}

#[test]
fn bad_options_are_refused_before_anything_is_read_or_written() {
    let env = Env::new();
    for args in [
        &["--label", "Bad Label"][..],
        &["--date", "23/11/2025"],
        &["--date", "2025-02-30"],
        &["--provenance", "rumour"],
        &["--party", "US", "--party", "US"],
        &["--title", ""],
        &["--name", "../x"],
        &["--name", "x", "-o", "y.toml"],
    ] {
        let mut all = vec!["import", "missing.txt", "-o", "out.toml"];
        if args.contains(&"-o") {
            all.truncate(2);
        }
        all.extend_from_slice(args);
        let out = env.treaty(&all).expect(2);
        assert!(out.stderr.contains("error"), "{args:?}\n{out}");
        assert!(
            !out.stderr.contains("missing.txt"),
            "{args:?}: read first\n{out}"
        );
        assert!(!env.path("out.toml").exists());
    }
}

#[test]
fn name_writes_the_plan_file_of_the_workspace() {
    let env = Env::new();
    git2::Repository::init(env.root()).unwrap();
    env.write("received.txt", "Plan\n1. One.\n2. Two.\n");
    let sub = env.path("sub");
    std::fs::create_dir(&sub).unwrap();
    let out = env.treaty_in(&sub, &["import", "../received.txt", "--name", "ukraine"]);
    assert_eq!(out.status, 0, "{out}");
    assert!(
        out.stderr.contains("wrote plans/ukraine.toml: 2 points"),
        "{out}"
    );
    env.treaty(&["check", "ukraine"]).ok();

    // Outside a repository, --name has nowhere to write.
    let elsewhere = Env::new();
    elsewhere.write("received.txt", "Plan\n1. One.\n");
    let out = elsewhere
        .treaty(&["import", "received.txt", "--name", "ukraine"])
        .expect(2);
    assert!(out.stderr.contains("no git repository"), "{out}");
}

#[test]
fn unreadable_input_is_reported() {
    let env = Env::new();
    let out = env.treaty(&["import", "missing.txt"]).expect(2);
    assert!(out.stderr.contains("cannot read missing.txt"), "{out}");
    std::fs::write(env.path("latin1.txt"), b"Plan\n1. Caf\xe9.\n").unwrap();
    let out = env
        .treaty(&["import", "latin1.txt", "-o", "o.toml"])
        .expect(2);
    assert!(
        out.stderr.contains("latin1.txt:2:7: invalid UTF-8"),
        "{out}"
    );
    assert!(!env.path("o.toml").exists());
    env.write("prose.txt", "Nothing numbered here.\n");
    let out = env.treaty(&["import", "prose.txt"]).expect(2);
    assert!(out.stderr.contains("found no numbered points"), "{out}");
}

#[test]
fn help_shows_an_example() {
    let env = Env::new();
    let out = env.treaty(&["import", "--help"]).ok();
    assert!(out.contains("Examples:"), "{out}");
    assert!(
        out.contains("\n  treaty import received.txt -o drafts/geneva.toml"),
        "{out}"
    );
}

#[test]
fn unbalanced_brackets_are_located() {
    let env = Env::new();
    env.write("b.txt", "Plan\n1. The line [shall\nbe frozen.\n2. Two.]\n");
    let out = env.treaty(&["import", "b.txt"]).expect(2);
    assert!(
        out.stderr
            .contains("b.txt:2:13: unbalanced brackets in point 1"),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("b.txt:4:8: unbalanced brackets in point 2"),
        "{out}"
    );
}
