use crate::common::{draft_with, Env};

fn history() -> Env {
    let env = Env::workspace();
    env.write(
        "plans/p.toml",
        &draft_with(&["One.", "Two."], Some("us-28")),
    );
    env.treaty(&["commit", "p"]).ok();
    env.write(
        "plans/p.toml",
        &draft_with(&["One, changed.", "Two.", "Three [a][b]."], None),
    );
    env.treaty(&["commit", "p", "-m", "Second draft"]).ok();
    env
}

#[test]
fn log_lists_revisions_newest_first() {
    let env = history();
    let out = env.treaty(&["log", "p"]).ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("r2  "), "{out}");
    assert!(lines[0].contains("2025-11-20"), "{out}");
    assert!(lines[0].contains("Test Author"), "{out}");
    assert!(
        lines[0].contains("3 points (+1) · 0 agreed, 0 disputed, 3 open (+1) · 1 bracket (+1)"),
        "{out}"
    );
    assert!(lines[0].ends_with("· 1 reworded, 1 added"), "{out}");
    assert!(lines[1].starts_with("r1  "), "{out}");
    assert!(lines[1].contains("us-28"), "{out}");
    assert!(lines[1].ends_with("first revision"), "{out}");
}

#[test]
fn log_json_has_every_key() {
    let env = history();
    let v = env.treaty(&["log", "p", "--format", "json"]).json();
    assert_eq!(v["schema"], "treaty.log/1");
    assert_eq!(v["plan"], "p");
    let revs = v["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 2);
    let r2 = &revs[0];
    assert_eq!(r2["rev"], "r2");
    assert_eq!(r2["commit"], env.head().unwrap().to_string());
    assert_eq!(r2["date"], "2025-11-20");
    assert_eq!(r2["author"], "Test Author <author@example.org>");
    assert!(r2["label"].is_null());
    assert_eq!(r2["message"], "Second draft");
    assert_eq!(
        (
            r2["points"].as_u64(),
            r2["open"].as_u64(),
            r2["brackets"].as_u64()
        ),
        (Some(3), Some(3), Some(1))
    );
    assert_eq!(r2["agreed"], 0);
    assert_eq!(r2["disputed"], 0);
    assert_eq!(r2["changes"]["reworded"], 1);
    assert_eq!(r2["changes"]["added"], 1);
    assert_eq!(revs[1]["label"], "us-28");
    assert!(revs[1]["changes"].is_null());
    for key in [
        "rev", "commit", "date", "author", "label", "message", "points", "agreed", "disputed",
        "open", "brackets", "changes",
    ] {
        assert!(r2.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn draft_files_stand_in_for_a_plan() {
    let env = Env::new();
    env.write("drafts/01.toml", &draft_with(&["One."], Some("first")));
    env.write("drafts/02.toml", &draft_with(&["One.", "Two."], None));
    let out = env
        .treaty(&["log", "drafts/01.toml", "drafts/02.toml"])
        .ok();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("r2  drafts/02.toml"), "{out}");
    assert!(lines[0].ends_with("1 added"), "{out}");
    assert!(lines[1].starts_with("r1  drafts/01.toml"), "{out}");
    let v = env
        .treaty(&[
            "log",
            "--format",
            "json",
            "drafts/01.toml",
            "drafts/02.toml",
        ])
        .json();
    assert!(v["plan"].is_null());
    assert_eq!(v["revisions"][1]["label"], "first");
    assert!(v["revisions"][0]["commit"].is_null());
    // One file is a list too.
    assert_eq!(
        env.treaty(&["log", "drafts/01.toml"]).ok().lines().count(),
        1
    );
}

#[test]
fn log_of_an_unknown_plan_lists_the_plans() {
    let env = history();
    let out = env.treaty(&["log", "q"]).expect(2);
    assert!(out.stderr.contains("no plan named 'q' (plans: p)"), "{out}");
}

#[test]
fn log_survives_a_revision_that_is_not_a_valid_draft() {
    let env = history();
    env.write("plans/p.toml", "[plan]\ntitle = 3\n");
    env.stage("plans/p.toml");
    env.git_commit("broken by hand");
    let out = env.treaty(&["log", "p", "--format", "json"]);
    let v = out.json();
    assert_eq!(v["revisions"][0]["rev"], "r3");
    assert!(v["revisions"][0]["points"].is_null());
    assert!(out.stderr.contains("not a valid draft"), "{}", out.stderr);
}
