//! The example plans shipped in `plans/ukraine-2025/`: they stay valid, and they
//! keep saying what the reports support (point counts, numbering, statuses,
//! caveats).

use serde_json::Value;

use crate::common::{project_root, Env};

const US_28: &str = "plans/ukraine-2025/01-us-28.toml";
const E3: &str = "plans/ukraine-2025/02-e3.toml";
const GENEVA: &str = "plans/ukraine-2025/03-geneva-19.toml";
const FRAMEWORK_20: &str = "plans/ukraine-2025/04-framework-20.toml";
const ALL: [&str; 4] = [US_28, E3, GENEVA, FRAMEWORK_20];
const FRAMEWORK_20_CHECK: &str =
    "plans/ukraine-2025/04-framework-20.toml: 20 points · 18 agreed, 2 disputed, 0 open · 0 brackets";

/// `treaty show --format json FILE`, run from the project root.
fn show(file: &str) -> Value {
    let env = Env::new();
    let out = env
        .treaty_in(&project_root(), &["show", "--format", "json", file])
        .expect(0);
    out.json()
}

fn points(draft: &Value) -> &Vec<Value> {
    draft["points"].as_array().expect("points is an array")
}

fn numbers(draft: &Value) -> Vec<String> {
    points(draft)
        .iter()
        .map(|p| p["number"].as_str().expect("number").to_string())
        .collect()
}

fn point<'a>(draft: &'a Value, number: &str) -> &'a Value {
    points(draft)
        .iter()
        .find(|p| p["number"] == number)
        .unwrap_or_else(|| panic!("no point {number}"))
}

fn status_of(draft: &Value, number: &str) -> String {
    point(draft, number)["status"]
        .as_str()
        .expect("status")
        .to_string()
}

#[test]
fn every_example_checks() {
    let env = Env::new();
    let out = env.treaty_in(&project_root(), &{
        let mut args = vec!["check"];
        args.extend(ALL);
        args
    });
    let stdout = out.ok();
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(stdout.lines().any(|l| l == FRAMEWORK_20_CHECK), "{stdout}");
}

#[test]
fn examples_share_plan_and_have_no_ids() {
    let labels = ["us-28", "e3", "geneva", "framework-20"];
    let mut dates = Vec::new();
    for (file, label) in ALL.iter().zip(labels) {
        let d = show(file);
        assert_eq!(d["plan"]["title"], "Peace plan for Ukraine", "{file}");
        assert_eq!(
            d["plan"]["parties"],
            serde_json::json!(["US", "Ukraine", "Russia", "Europe"]),
            "{file}"
        );
        assert_eq!(d["draft"]["label"], label, "{file}");
        assert!(d["draft"]["source"].is_string(), "{file}");
        dates.push(d["draft"]["date"].as_str().expect("date").to_string());
        for p in points(&d) {
            assert!(p["id"].is_null(), "{file}: point {} has an id", p["number"]);
            assert!(
                p["title"].is_string(),
                "{file}: point {} has no title",
                p["number"]
            );
        }
    }
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "files sort by date");
}

#[test]
fn us_28_has_28_points_and_the_reported_objections() {
    let d = show(US_28);
    assert_eq!(d["draft"]["provenance"], "leaked");
    let expected: Vec<String> = (1..=28).map(|n| n.to_string()).collect();
    assert_eq!(numbers(&d), expected);
    for p in points(&d) {
        let n = p["number"].as_str().expect("number");
        assert_eq!(p["positions"]["US"], "accept", "point {n}");
        assert!(p["positions"]["Russia"].is_null(), "point {n}");
        let objected = ["6", "7", "8", "14", "21", "25", "26"].contains(&n);
        let want = if objected { "disputed" } else { "open" };
        assert_eq!(p["status"], want, "point {n}");
        if objected {
            assert_eq!(p["positions"]["Ukraine"], "reject", "point {n}");
            assert_eq!(p["positions"]["Europe"], "reject", "point {n}");
        }
    }
    // Sub-items stay in one point.
    assert!(point(&d, "21")["text"]
        .as_str()
        .is_some_and(|t| t.contains("(a)") && t.contains("(d)")));
}

#[test]
fn e3_keeps_us_numbers_without_points_3_and_26() {
    let d = show(E3);
    let n = numbers(&d);
    assert_eq!(n.len(), 26);
    assert!(!n.contains(&"3".to_string()) && !n.contains(&"26".to_string()));
    let expected: Vec<String> = (1..=28)
        .filter(|n| *n != 3 && *n != 26)
        .map(|n| n.to_string())
        .collect();
    assert_eq!(n, expected);
    for p in points(&d) {
        assert_eq!(p["positions"]["Europe"], "accept");
    }
    // Points the E3 left unchanged keep the US wording.
    let us = show(US_28);
    for unchanged in ["1", "16", "18", "19", "24"] {
        assert_eq!(point(&d, unchanged)["text"], point(&us, unchanged)["text"]);
    }
    assert!(point(&d, "6")["text"]
        .as_str()
        .is_some_and(|t| t.contains("800,000")));
}

#[test]
fn geneva_is_a_reconstruction_with_brackets_never_agreed() {
    let d = show(GENEVA);
    assert_eq!(d["draft"]["provenance"], "reported");
    let source = d["draft"]["source"].as_str().expect("source");
    assert!(source.to_lowercase().contains("reconstruction"), "{source}");
    assert!(source.contains("no text"), "{source}");
    let n = numbers(&d);
    for dropped in ["6", "14", "26"] {
        assert!(!n.contains(&dropped.to_string()), "point {dropped}");
    }
    for bracketed in ["3", "4", "7", "21"] {
        let p = point(&d, bracketed);
        assert!(p["brackets"].as_u64().unwrap_or(0) > 0, "point {bracketed}");
        assert_eq!(p["status"], "disputed", "point {bracketed}");
    }
    for p in points(&d) {
        assert_ne!(p["status"], "agreed", "point {}", p["number"]);
    }
}

#[test]
fn framework_20_has_two_disputed_points() {
    let d = show(FRAMEWORK_20);
    assert_eq!(d["draft"]["provenance"], "official");
    let expected: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    assert_eq!(numbers(&d), expected);
    for n in &expected {
        let want = if n == "12" || n == "14" {
            "disputed"
        } else {
            "agreed"
        };
        assert_eq!(status_of(&d, n), want, "point {n}");
        assert_eq!(point(&d, n)["brackets"], 0, "point {n}");
    }
    assert!(point(&d, "12")["text"]
        .as_str()
        .is_some_and(|t| t.contains("Zaporizhzhia")));
}
