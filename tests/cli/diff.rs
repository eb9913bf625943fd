//! `treaty diff`: two draft files, or a plan's revisions; text, JSON and
//! markdown; exit codes; and the mapping it finds on the shipped Ukraine
//! drafts.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::{project_root, Env};

const BEFORE: &str = include_str!("../fixtures/diff/before.toml");
const AFTER: &str = include_str!("../fixtures/diff/after.toml");

fn env() -> Env {
    let env = Env::new();
    env.write("before.toml", BEFORE);
    env.write("after.toml", AFTER);
    env
}

/// Every (FROM number, TO number) pair of a diff's groups.
fn pairs(diff: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for c in diff["changes"].as_array().expect("changes") {
        for f in c["from"].as_array().expect("from") {
            for t in c["to"].as_array().expect("to") {
                out.insert((
                    f["number"].as_str().expect("number").to_string(),
                    t["number"].as_str().expect("number").to_string(),
                ));
            }
        }
    }
    out
}

fn numbers(side: &Value) -> Vec<String> {
    side.as_array()
        .expect("side")
        .iter()
        .map(|p| p["number"].as_str().expect("number").to_string())
        .collect()
}

/// The group holding FROM point `number`.
fn group_of<'a>(diff: &'a Value, side: &str, number: &str) -> &'a Value {
    diff["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| numbers(&c[side]).iter().any(|n| n == number))
        .unwrap_or_else(|| panic!("no group with {side} point {number}"))
}

/// Checks the JSON invariants: every point in exactly one group, kinds that
/// fit the sides, groups in TO order.
fn check_invariants(diff: &Value) {
    let (n_from, n_to) = (
        diff["from"]["points"].as_u64().expect("from points") as usize,
        diff["to"]["points"].as_u64().expect("to points") as usize,
    );
    let mut seen_from: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen_to: BTreeMap<String, usize> = BTreeMap::new();
    let mut last_to: Option<usize> = None;
    let mut to_index: BTreeMap<String, usize> = BTreeMap::new();
    for c in diff["changes"].as_array().expect("changes") {
        let (f, t) = (numbers(&c["from"]), numbers(&c["to"]));
        let kind = c["kind"].as_str().expect("kind");
        let expected = match (f.len(), t.len()) {
            (0, _) => "added",
            (_, 0) => "removed",
            (1, 1) => "matched",
            (1, _) => "split",
            _ => "merged",
        };
        assert_eq!(kind, expected, "{c}");
        for n in f {
            *seen_from.entry(n).or_default() += 1;
        }
        for n in &t {
            let next = to_index.len();
            to_index.insert(n.clone(), next);
            *seen_to.entry(n.clone()).or_default() += 1;
        }
        if let Some(first) = t.first() {
            let i = to_index[first];
            assert!(
                last_to.is_none_or(|l| l < i),
                "groups out of TO order at {c}"
            );
            last_to = Some(i);
        }
        for key in [
            "similarity",
            "renumbered",
            "moved",
            "reworded",
            "substantive",
            "reopened",
            "text",
            "status",
            "positions",
        ] {
            assert!(c.get(key).is_some(), "missing {key} in {c}");
        }
    }
    assert_eq!(seen_from.len(), n_from);
    assert_eq!(seen_to.len(), n_to);
    assert!(seen_from.values().chain(seen_to.values()).all(|&n| n == 1));
}

#[test]
fn text_shows_changed_groups_and_a_summary() {
    let out = env().treaty(&["diff", "before.toml", "after.toml"]).ok();
    insta::assert_snapshot!("diff_text", out);
}

#[test]
fn text_with_all_shows_unchanged_groups() {
    let out = env()
        .treaty(&["diff", "--all", "before.toml", "after.toml"])
        .ok();
    assert!(out.contains("= 1  unchanged\n"), "{out}");
    let without = env().treaty(&["diff", "before.toml", "after.toml"]).ok();
    assert!(!without.contains("= 1  unchanged"), "{without}");
}

#[test]
fn text_is_coloured_only_when_asked() {
    let out = env()
        .treaty(&["--color", "always", "diff", "before.toml", "after.toml"])
        .ok();
    assert!(out.contains("\u{1b}["), "{out}");
    assert!(!out.contains("{+20+}"), "{out}");
    let plain = env().treaty(&["diff", "before.toml", "after.toml"]).ok();
    assert!(!plain.contains('\u{1b}'));
    assert!(plain.contains("[-15-] {+20+}"), "{plain}");
}

#[test]
fn markdown_is_a_redline() {
    let out = env()
        .treaty(&["diff", "--format", "markdown", "before.toml", "after.toml"])
        .ok();
    insta::assert_snapshot!("diff_markdown", out);
}

#[test]
fn html_marks_deletions_and_insertions() {
    let out = env()
        .treaty(&["diff", "--format", "html", "before.toml", "after.toml"])
        .ok();
    assert!(out.starts_with("<!DOCTYPE html>"));
    assert!(
        out.contains("<del>15</del>") && out.contains("<ins>20</ins>"),
        "{out}"
    );
}

#[test]
fn json_follows_the_schema() {
    let v = env()
        .treaty(&["diff", "--format", "json", "before.toml", "after.toml"])
        .ok();
    let v: Value = serde_json::from_str(&v).expect("json");
    check_invariants(&v);
    assert_eq!(v["schema"], "treaty.diff/1");
    assert!(v["plan"].is_null());
    assert_eq!(
        v["from"],
        serde_json::json!({"rev": "before.toml", "commit": null, "label": "round-1", "points": 8})
    );
    assert_eq!(v["to"]["label"], "round-2");
    assert_eq!(
        v["summary"],
        serde_json::json!({"unchanged": 1, "reworded": 5, "renumbered": 4, "moved": 2,
            "added": 1, "removed": 1, "split": 1, "merged": 1,
            "newly_agreed": 1, "newly_disputed": 0, "still_disputed": 0})
    );
    let split = group_of(&v, "from", "3");
    assert_eq!(split["kind"], "split");
    assert_eq!(numbers(&split["to"]), ["2", "3"]);
    let merged = group_of(&v, "to", "6");
    assert_eq!(merged["kind"], "merged");
    assert_eq!(numbers(&merged["from"]), ["7", "8"]);
    let withdrawal = group_of(&v, "from", "2");
    assert_eq!(numbers(&withdrawal["to"]), ["4"]);
    assert_eq!(withdrawal["renumbered"], true);
    assert_eq!(withdrawal["substantive"], serde_json::json!(["number"]));
    assert_eq!(
        withdrawal["status"],
        serde_json::json!({"from": "disputed", "to": "agreed"})
    );
    assert_eq!(
        withdrawal["positions"],
        serde_json::json!([{"party": "South", "from": "reject", "to": "accept"}])
    );
    assert_eq!(
        withdrawal["text"],
        serde_json::json!([
            {"op": "equal", "text": "Both armies withdraw "},
            {"op": "delete", "text": "15 "},
            {"op": "insert", "text": "20 "},
            {"op": "equal", "text": "kilometres from the line of contact within 30 days."}
        ])
    );
    let elections = group_of(&v, "from", "6");
    assert_eq!(
        elections["substantive"],
        serde_json::json!(["modal", "date", "brackets"])
    );
    assert_eq!(group_of(&v, "from", "4")["kind"], "removed");
    assert_eq!(group_of(&v, "to", "7")["kind"], "added");
    // The removed point stands where its FROM neighbour went: after the split
    // of 3, before the withdrawal.
    let kinds: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["matched", "split", "removed", "matched", "matched", "merged", "added", "matched"]
    );
}

#[test]
fn exit_code_says_whether_anything_changed() {
    let env = env();
    env.treaty(&["diff", "--exit-code", "before.toml", "after.toml"])
        .expect(1);
    let same = env
        .treaty(&["diff", "--exit-code", "before.toml", "before.toml"])
        .expect(0);
    assert!(same.stdout.contains("8 → 8 points · no changes"), "{same}");
    // Without --exit-code, differences are not an error.
    env.treaty(&["diff", "before.toml", "after.toml"]).expect(0);
}

#[test]
fn threshold_is_checked() {
    let env = env();
    for bad in ["1.5", "-0.1", "abc", "NaN"] {
        let out = env
            .treaty(&[
                "diff",
                &format!("--threshold={bad}"),
                "before.toml",
                "after.toml",
            ])
            .expect(2);
        assert!(out.stderr.contains("between 0 and 1"), "{out}");
    }
    // At 1, only identical texts pair up by similarity; nothing breaks.
    let v = env
        .treaty(&[
            "diff",
            "--threshold",
            "1",
            "--format",
            "json",
            "before.toml",
            "after.toml",
        ])
        .ok();
    check_invariants(&serde_json::from_str(&v).unwrap());
}

#[test]
fn bad_arguments_exit_2() {
    let env = env();
    let out = env.treaty(&["diff", "before.toml"]).expect(2);
    assert!(out.stderr.contains("needs a second draft file"), "{out}");
    let out = env
        .treaty(&["diff", "before.toml", "after.toml", "third.toml"])
        .expect(2);
    assert!(out.stderr.contains("unexpected third argument"), "{out}");
    env.write("bad.toml", "[plan]\n[[points]]\nnumber = \"1\"\n");
    let out = env.treaty(&["diff", "before.toml", "bad.toml"]).expect(2);
    assert!(out.stderr.contains("bad.toml"), "{out}");
    assert!(out.stdout.is_empty());
    let out = env
        .treaty(&["diff", "before.toml", "missing.toml"])
        .expect(2);
    assert!(out.stderr.contains("missing.toml"), "{out}");
}

#[test]
fn a_plan_name_compares_with_the_working_file() {
    let env = env();
    git2::Repository::init(env.root()).expect("git init");
    env.write("plans/ceasefire.toml", AFTER);
    let v = env
        .treaty(&["diff", "ceasefire", "before.toml", "--format", "json"])
        .ok();
    let v: Value = serde_json::from_str(&v).unwrap();
    check_invariants(&v);
    assert_eq!(v["plan"], "ceasefire");
    assert_eq!(v["to"]["rev"], "working");
    assert_eq!(v["to"]["commit"], Value::Null);
    let out = env
        .treaty(&["diff", "no-such-plan", "before.toml"])
        .expect(2);
    assert!(out.stderr.contains("no plan named"), "{out}");
    let out = env.treaty(&["diff", "Bad_Name"]).expect(2);
    assert!(out.stderr.contains("invalid plan name"), "{out}");
}

/// `treaty diff --format json` of two shipped Ukraine drafts, by file stem.
fn shipped_diff(from: &str, to: &str) -> Value {
    let (from, to) = (
        format!("plans/ukraine-2025/{from}.toml"),
        format!("plans/ukraine-2025/{to}.toml"),
    );
    let out = Env::new()
        .treaty_in(&project_root(), &["diff", "--format", "json", &from, &to])
        .ok();
    serde_json::from_str(&out).unwrap()
}

/// The Ukraine drafts, U28 → Z20: the mapping that
/// `shared/data/ukraine-2025-drafts.md` §6 gives as sure.
#[test]
fn ukraine_us_28_to_framework_20() {
    let v = shipped_diff("01-us-28", "04-framework-20");
    check_invariants(&v);
    let found = pairs(&v);
    let p = |f: &str, t: &str| (f.to_string(), t.to_string());
    for (f, t) in [
        ("1", "1"),
        ("2", "2"),
        ("5", "3"),
        ("6", "4"),
        ("10", "5"),
        ("16", "6"),
        ("11", "7"),
        ("12", "8"),
        ("18", "11"),
        ("19", "12"),
        ("20", "13"),
        ("21", "14"),
        ("22", "15"),
        ("23", "16"),
        ("24", "17"),
        ("25", "18"),
        ("27", "19"),
        ("28", "20"),
    ] {
        assert!(found.contains(&p(f, t)), "missing {f} → {t}: {found:?}");
    }
    // 10 added; 3, 4, 7, 8, 9, 13, 14, 15, 17 and 26 removed.
    assert_eq!(group_of(&v, "to", "10")["kind"], "added");
    for f in ["3", "4", "7", "8", "9", "13", "14", "15", "17", "26"] {
        assert_eq!(group_of(&v, "from", f)["kind"], "removed", "U28 {f}");
    }
    // 21 became 14 and stays disputed; the plant (19 → 12) became disputed.
    let territory = group_of(&v, "from", "21");
    assert!(territory["status"].is_null());
    assert_eq!(territory["renumbered"], true);
    assert_eq!(v["summary"]["still_disputed"], 1);
    assert_eq!(
        group_of(&v, "from", "19")["status"],
        serde_json::json!({"from": "open", "to": "disputed"})
    );
    // Nothing is paired that the data calls unrelated: every pair found is
    // in the sure mapping (12 → 9, the other half of the split, is the one
    // pair not found: see the note in the test below).
    let sure: BTreeSet<(String, String)> = [
        ("1", "1"),
        ("2", "2"),
        ("5", "3"),
        ("6", "4"),
        ("10", "5"),
        ("16", "6"),
        ("11", "7"),
        ("12", "8"),
        ("12", "9"),
        ("18", "11"),
        ("19", "12"),
        ("20", "13"),
        ("21", "14"),
        ("22", "15"),
        ("23", "16"),
        ("24", "17"),
        ("25", "18"),
        ("27", "19"),
        ("28", "20"),
    ]
    .iter()
    .map(|(f, t)| p(f, t))
    .collect();
    assert!(found.is_subset(&sure), "{:?}", found.difference(&sure));
    let text = Env::new()
        .treaty_in(
            &project_root(),
            &[
                "diff",
                "plans/ukraine-2025/01-us-28.toml",
                "plans/ukraine-2025/04-framework-20.toml",
            ],
        )
        .ok();
    assert!(
        text.contains("~ 21 → 14  renumbered, reworded (number, modal) · still disputed"),
        "{text}"
    );
}

/// 12 → 8 + 9 in the data is a judgement on meaning: point 9 of the
/// framework as written in `plans/` ("several funds … recovery and
/// reconstruction … $800 billion") shares more words with U28 14 ("$100
/// billion … reconstruction of Ukraine … funds") than with U28 12, and too
/// few with either to be paired by wording. The engine leaves it added
/// rather than guess.
#[test]
fn ukraine_framework_9_is_left_added() {
    let v = shipped_diff("01-us-28", "04-framework-20");
    assert_eq!(group_of(&v, "to", "9")["kind"], "added");
    assert_eq!(numbers(&group_of(&v, "from", "12")["to"]), ["8"]);
}

/// E3 keeps the US numbers: every point it kept is found, whatever its
/// rewording; 3 and 26 are removed.
#[test]
fn ukraine_us_28_to_e3() {
    let v = shipped_diff("01-us-28", "02-e3");
    check_invariants(&v);
    let found = pairs(&v);
    let expected: BTreeSet<(String, String)> = (1..=28)
        .filter(|n| *n != 3 && *n != 26)
        .map(|n| (n.to_string(), n.to_string()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(v["summary"]["removed"], 2);
    assert_eq!(v["summary"]["renumbered"], 0);
}

/// A large diff goes through the paths small ones do not: drafts read a
/// piece at a time, groups classified and written in chunks on several
/// threads. The output is the very text and JSON the library gives in one
/// go.
#[test]
fn large_drafts_stream_the_same_output() {
    let pair = treaty::synth::generate(&treaty::synth::Options {
        // Over four chunks of groups, over 1 MB a draft, and small enough
        // that the word diffs stay within their budget (past it, results
        // depend on the clock).
        points: 2_100,
        seed: 3,
        mix: treaty::synth::Mix::BENCH,
        words: 20,
        ..treaty::synth::Options::default()
    });
    let env = Env::new();
    let (a, b) = (pair.from.to_toml(), pair.to.to_toml());
    assert!(a.len() > 1 << 20, "the draft is read in pieces");
    env.write("a.toml", &a);
    env.write("b.toml", &b);
    let from = treaty::Plan::parse(&a, "a.toml").unwrap();
    let to = treaty::Plan::parse(&b, "b.toml").unwrap();
    let d = treaty::diff::diff(&from, &to, &Default::default());
    let rev = |file: &str, plan: &treaty::Plan| treaty::revision::RevInfo {
        label: plan.draft.label.clone(),
        date: plan.draft.date.clone(),
        ..treaty::revision::RevInfo::file(file)
    };
    let (ra, rb) = (rev("a.toml", &from), rev("b.toml", &to));

    let json = env
        .treaty(&["diff", "a.toml", "b.toml", "--format", "json"])
        .ok();
    check_invariants(&serde_json::from_str(&json).unwrap());
    assert_eq!(json, treaty::render::json::diff(&d, None, &ra, &rb));

    let text = env
        .treaty(&["diff", "a.toml", "b.toml", "--color=never"])
        .ok();
    let painter = treaty::render::Painter::new(false);
    assert_eq!(
        text,
        treaty::render::text::diff(&d, &ra, &rb, false, &painter)
    );
}
