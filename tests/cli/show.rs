use crate::common::{draft_with, Env};

#[test]
fn show_r37_of_100_revisions_reads_the_37th() {
    let env = Env::workspace();
    for i in 1..=100 {
        env.write(
            "plans/p.toml",
            &draft_with(&[&format!("Revision {i} of the text.")], None),
        );
        env.treaty(&["commit", "p"]).ok();
    }
    let out = env.treaty(&["show", "p", "r37", "--format", "json"]);
    let v = out.json();
    assert_eq!(v["schema"], "treaty.draft/1");
    assert_eq!(v["points"][0]["text"], "Revision 37 of the text.");
    assert_eq!(v["rev"]["rev"], "r37");
    // The 37th commit from the root, by git2's own walk.
    let repo = env.repo();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
        .unwrap();
    let commits: Vec<git2::Oid> = walk.map(|c| c.unwrap()).collect();
    assert_eq!(commits.len(), 100);
    assert_eq!(v["rev"]["commit"], commits[36].to_string());

    let log = env.treaty(&["log", "p", "--format", "json"]).json();
    assert_eq!(log["revisions"].as_array().unwrap().len(), 100);
    assert_eq!(log["revisions"][0]["rev"], "r100");
}

#[test]
fn every_kind_of_revision_reference() {
    let env = Env::workspace();
    env.write("plans/p.toml", &draft_with(&["One."], Some("us-28")));
    env.treaty(&["commit", "p"]).ok();
    env.write("plans/p.toml", &draft_with(&["One.", "Two."], None));
    env.treaty(&["commit", "p", "--label", "geneva"]).ok();
    env.write(
        "plans/p.toml",
        &draft_with(&["One.", "Two.", "Three."], None),
    );
    env.treaty(&["commit", "p"]).ok();
    env.write("plans/p.toml", &draft_with(&["Working."], None));
    env.write(
        "elsewhere.toml",
        &draft_with(&["A", "B", "C", "D", "E"], None),
    );
    let r1 = env.treaty(&["log", "p", "--format", "json"]).json()["revisions"][2]["commit"]
        .as_str()
        .unwrap()
        .to_string();
    let points = |rev: &str| {
        let v = env.treaty(&["show", "p", rev, "--format", "json"]).json();
        (
            v["rev"]["rev"].as_str().unwrap().to_string(),
            v["points"].as_array().unwrap().len(),
        )
    };
    assert_eq!(points("r1"), ("r1".into(), 1));
    assert_eq!(points("us-28"), ("r1".into(), 1));
    assert_eq!(points("geneva"), ("r2".into(), 2));
    assert_eq!(points("p/geneva"), ("r2".into(), 2));
    assert_eq!(points("latest"), ("r3".into(), 3));
    assert_eq!(points("HEAD~1"), ("r2".into(), 2));
    assert_eq!(points(&r1), ("r1".into(), 1));
    assert_eq!(points(&r1[..8]), ("r1".into(), 1));
    assert_eq!(points("working"), ("working".into(), 1));
    assert_eq!(points("./elsewhere.toml"), ("./elsewhere.toml".into(), 5));
    // Without REV: the working file, as it differs from latest.
    let v = env.treaty(&["show", "p", "--format", "json"]).json();
    assert_eq!(v["rev"]["rev"], "working");
    assert!(v["rev"]["commit"].is_null());
}

#[test]
fn show_without_rev_is_latest_when_the_file_is_unchanged() {
    let env = Env::workspace();
    env.write("plans/p.toml", &draft_with(&["One."], None));
    env.treaty(&["commit", "p"]).ok();
    let v = env.treaty(&["show", "p", "--format", "json"]).json();
    assert_eq!(v["rev"]["rev"], "r1");
    assert_eq!(
        v["rev"]["commit"].as_str().unwrap(),
        env.head().unwrap().to_string()
    );
    let text = env.treaty(&["show", "p"]).ok();
    assert!(text.contains("r1 ("), "{text}");
}

#[test]
fn show_reads_the_object_database_not_the_disk() {
    let env = Env::workspace();
    env.write("plans/p.toml", &draft_with(&["One."], None));
    env.treaty(&["commit", "p"]).ok();
    std::fs::remove_file(env.path("plans/p.toml")).unwrap();
    let v = env.treaty(&["show", "p", "r1", "--format", "json"]).json();
    assert_eq!(v["points"][0]["text"], "One.");
    let v = env.treaty(&["show", "p", "--format", "json"]).json();
    assert_eq!(v["rev"]["rev"], "r1");
    assert!(env
        .status()
        .iter()
        .all(|(p, _)| p == "plans/p.toml" || p == ".gitattributes"));
}

#[test]
fn an_unknown_revision_lists_what_exists() {
    let env = Env::workspace();
    for (i, label) in ["us-28", "e3", "geneva", "framework-20"].iter().enumerate() {
        let texts: Vec<String> = (0..=i).map(|n| format!("Point {n}.")).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        env.write("plans/ukraine.toml", &draft_with(&texts, Some(label)));
        env.treaty(&["commit", "ukraine"]).ok();
    }
    for rev in ["r9", "nope", "HEAD~9"] {
        let out = env.treaty(&["show", "ukraine", rev]).expect(2);
        assert!(
            out.stderr
                .contains("plan 'ukraine' has r1…r4; labels: us-28, e3, geneva, framework-20"),
            "{out}"
        );
    }
    let out = env.treaty(&["show", "nope", "r1"]).expect(2);
    assert!(
        out.stderr.contains("no plan named 'nope' (plans: ukraine)"),
        "{out}"
    );
    let out = env.treaty(&["show", "Ukraine"]).expect(2);
    assert!(out.stderr.contains("invalid plan name"), "{out}");
}

#[test]
fn a_file_has_no_revisions() {
    let env = Env::new();
    env.write("d.toml", &draft_with(&["One."], None));
    let out = env.treaty(&["show", "d.toml", "r1"]).expect(2);
    assert!(out.stderr.contains("draft file"), "{out}");
    let v = env.treaty(&["show", "d.toml", "--format", "json"]).json();
    assert_eq!(v["rev"]["rev"], "d.toml");
}
