use crate::common::{draft_with, Env};

/// The paths a commit changed against its first parent (or all, for a root).
fn changed_paths(env: &Env, commit: git2::Oid) -> Vec<String> {
    let repo = env.repo();
    let commit = repo.find_commit(commit).unwrap();
    let parent_tree = commit.parent(0).ok().map(|p| p.tree().unwrap());
    let diff = repo
        .diff_tree_to_tree(parent_tree.as_ref(), Some(&commit.tree().unwrap()), None)
        .unwrap();
    diff.deltas()
        .map(|d| d.new_file().path().unwrap().display().to_string())
        .collect()
}

fn message(env: &Env, commit: git2::Oid) -> String {
    env.repo()
        .find_commit(commit)
        .unwrap()
        .message()
        .unwrap()
        .to_string()
}

fn status_of(env: &Env, path: &str) -> Option<git2::Status> {
    env.status()
        .into_iter()
        .find(|(p, _)| p == path)
        .map(|(_, s)| s)
}

/// A workspace with r1 of plan `p` committed.
fn with_r1() -> Env {
    let env = Env::workspace();
    env.write("plans/p.toml", &draft_with(&["Alpha.", "Beta."], None));
    env.treaty(&["commit", "p"]).ok();
    env
}

#[test]
fn commit_records_only_the_plan_and_leaves_user_changes_alone() {
    let env = Env::workspace();
    env.write("notes.md", "tracked\n");
    env.write("staged-later.md", "tracked too\n");
    env.stage("notes.md");
    env.stage("staged-later.md");
    env.git_commit("unrelated work");
    // The user's work in progress: a staged new file, a staged change, an
    // unstaged change, an untracked file.
    env.write("staged.txt", "staged, not committed\n");
    env.stage("staged.txt");
    env.write("staged-later.md", "changed and staged\n");
    env.stage("staged-later.md");
    env.write("notes.md", "changed, not staged\n");
    env.write("scratch.txt", "untracked\n");
    let staged_blob = env
        .repo()
        .index()
        .unwrap()
        .get_path(std::path::Path::new("staged.txt"), 0)
        .unwrap()
        .id;
    let before: Vec<_> = env.status();

    env.write("plans/p.toml", &draft_with(&["Alpha."], None));
    let out = env.treaty(&["commit", "p"]).ok();
    assert!(out.starts_with("r1 "), "{out}");

    let head = env.head().unwrap();
    assert_eq!(changed_paths(&env, head), ["plans/p.toml"]);
    let repo = env.repo();
    let tree = repo.find_commit(head).unwrap().tree().unwrap();
    assert!(
        tree.get_name("staged.txt").is_none(),
        "a staged file is not committed"
    );
    // Everything else reads exactly as before; the plan is clean.
    assert_eq!(env.status(), before);
    assert_eq!(status_of(&env, "plans/p.toml"), None);
    assert_eq!(status_of(&env, "staged.txt"), Some(git2::Status::INDEX_NEW));
    assert_eq!(
        env.repo()
            .index()
            .unwrap()
            .get_path(std::path::Path::new("staged.txt"), 0)
            .unwrap()
            .id,
        staged_blob
    );
    assert_eq!(env.read("notes.md"), "changed, not staged\n");
}

#[test]
fn first_commit_on_an_unborn_branch_of_a_plain_repository() {
    let env = Env::new().with_author();
    git2::Repository::init(env.root()).unwrap();
    env.write("staged.txt", "x\n");
    env.stage("staged.txt");
    env.write("plans/p.toml", &draft_with(&["Alpha."], None));
    env.treaty(&["commit", "p"]).ok();
    let repo = env.repo();
    let commit = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(commit.parent_count(), 0);
    assert_eq!(changed_paths(&env, commit.id()), ["plans/p.toml"]);
    assert_eq!(
        env.status(),
        [("staged.txt".to_string(), git2::Status::INDEX_NEW)]
    );
}

#[test]
fn commit_builds_on_unrelated_history() {
    let env = Env::new().with_author();
    git2::Repository::init(env.root()).unwrap();
    env.write("README.md", "project\n");
    env.write("src/lib.rs", "// code\n");
    env.stage("README.md");
    env.stage("src/lib.rs");
    let old = env.git_commit("existing project");
    env.write("plans/p.toml", &draft_with(&["Alpha."], None));
    env.treaty(&["commit", "p"]).ok();
    let repo = env.repo();
    let commit = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(commit.parent_id(0).unwrap(), old);
    assert_eq!(changed_paths(&env, commit.id()), ["plans/p.toml"]);
    let tree = commit.tree().unwrap();
    assert!(tree.get_path(std::path::Path::new("src/lib.rs")).is_ok());
    assert!(env.status().is_empty(), "{:?}", env.status());
}

#[test]
fn commit_message_and_dates() {
    let env = with_r1();
    let r1 = env.head().unwrap();
    assert_eq!(
        message(&env, r1),
        "p: first draft, 2 points\n\nTreaty-Plan: p\n"
    );
    let repo = env.repo();
    let commit = repo.find_commit(r1).unwrap();
    assert_eq!(commit.author().name(), Ok("Test Author"));
    assert_eq!(commit.author().email(), Ok("author@example.org"));
    assert_eq!(commit.author().when().seconds(), 1_763_640_000);
    assert_eq!(commit.committer().when().seconds(), 1_763_640_000);

    env.write(
        "plans/p.toml",
        &draft_with(&["Alpha!", "Beta.", "Gamma."], None),
    );
    env.treaty(&["commit", "p"]).ok();
    assert_eq!(
        message(&env, env.head().unwrap()),
        "p: 1 reworded, 1 added\n\nTreaty-Plan: p\n"
    );

    env.write("plans/p.toml", &draft_with(&["Alpha!"], None));
    env.treaty(&["commit", "p", "-m", "Cut to one point"]).ok();
    assert_eq!(
        message(&env, env.head().unwrap()),
        "Cut to one point\n\nTreaty-Plan: p\n"
    );
}

#[test]
fn a_label_makes_a_tag_and_a_trailer() {
    let env = with_r1();
    env.write("plans/p.toml", &draft_with(&["Alpha!", "Beta."], None));
    let out = env.treaty(&["commit", "p", "--label", "geneva"]).ok();
    assert!(out.contains("tag p/geneva"), "{out}");
    let head = env.head().unwrap();
    let repo = env.repo();
    let tag = repo.find_reference("refs/tags/p/geneva").unwrap();
    assert_eq!(tag.target(), Some(head), "a lightweight tag on the commit");
    assert!(message(&env, head).ends_with("Treaty-Plan: p\nTreaty-Label: geneva\n"));
}

#[test]
fn the_drafts_own_label_is_used_without_label_option() {
    let env = Env::workspace();
    env.write("plans/p.toml", &draft_with(&["Alpha."], Some("us-28")));
    env.treaty(&["commit", "p"]).ok();
    assert!(env.repo().find_reference("refs/tags/p/us-28").is_ok());
}

#[test]
fn a_label_already_used_is_refused_and_nothing_is_written() {
    let env = Env::workspace();
    env.write("plans/p.toml", &draft_with(&["Alpha."], Some("geneva")));
    env.treaty(&["commit", "p"]).ok();
    let refs = env.refs();
    // A received draft that still carries the same label.
    env.write("inbox/next.toml", &draft_with(&["Alpha!"], Some("geneva")));
    let plan_before = env.read("plans/p.toml");
    let out = env
        .treaty(&["commit", "p", "--file", "inbox/next.toml"])
        .expect(2);
    assert!(
        out.stderr.contains("label 'geneva' is already used"),
        "{out}"
    );
    assert_eq!(env.refs(), refs);
    assert_eq!(status_of(&env, "plans/p.toml"), None);
    assert_eq!(env.read("plans/p.toml"), plan_before);
    // The same with --label.
    env.write("plans/p.toml", &draft_with(&["Alpha!"], None));
    let out = env.treaty(&["commit", "p", "--label", "geneva"]).expect(2);
    assert!(out.stderr.contains("already used"), "{out}");
    assert_eq!(env.refs(), refs);
}

#[test]
fn an_unchanged_draft_is_refused() {
    let env = with_r1();
    let refs = env.refs();
    let out = env.treaty(&["commit", "p"]).expect(2);
    assert!(out.stderr.contains("unchanged since r1"), "{out}");
    assert_eq!(env.refs(), refs);
}

#[test]
fn an_invalid_draft_is_refused_and_nothing_is_written() {
    let env = with_r1();
    let refs = env.refs();
    let index = std::fs::read(env.path(".git/index")).unwrap();
    let plan_before = env.read("plans/p.toml");
    env.write(
        "inbox/bad.toml",
        "[plan]\n[[points]]\nnumber = \"1\"\nstauts = \"agreed\"\n",
    );
    let out = env
        .treaty(&["commit", "p", "--file", "inbox/bad.toml"])
        .expect(2);
    assert!(out.stderr.contains("bad.toml:4:1"), "{out}");
    assert_eq!(env.read("plans/p.toml"), plan_before);
    env.write("plans/p.toml", "[plan]\ntitle = 3\n");
    let out = env.treaty(&["commit", "p"]).expect(2);
    assert!(out.stderr.contains("plans/p.toml:2"), "{out}");
    assert_eq!(env.refs(), refs);
    assert_eq!(std::fs::read(env.path(".git/index")).unwrap(), index);
}

#[test]
fn bad_plan_names_are_refused() {
    let env = Env::workspace();
    env.write("plans/p.toml", &draft_with(&["Alpha."], None));
    for name in ["../x", "A", "a/b", "", "-x", "x.toml"] {
        let out = env.treaty(&["commit", "--", name]).expect(2);
        assert!(out.stderr.contains("plan name"), "{name}: {out}");
    }
    assert!(env.refs().is_empty());
    assert!(!env.path("x.toml").exists());
}

#[test]
fn an_unknown_plan_lists_the_plans() {
    let env = with_r1();
    let out = env.treaty(&["commit", "q"]).expect(2);
    assert!(out.stderr.contains("no plan named 'q' (plans: p)"), "{out}");
}

#[test]
fn a_detached_head_is_refused() {
    let env = with_r1();
    let repo = env.repo();
    repo.set_head_detached(env.head().unwrap()).unwrap();
    let refs = env.refs();
    env.write("plans/p.toml", &draft_with(&["Alpha!"], None));
    let out = env.treaty(&["commit", "p"]).expect(2);
    assert!(out.stderr.contains("HEAD is detached"), "{out}");
    assert!(out.stderr.contains("git switch"), "{out}");
    assert_eq!(env.refs(), refs);
    assert!(env.repo().head_detached().unwrap());
}

#[test]
fn no_author_is_a_clear_error() {
    let env = Env::new();
    env.treaty(&["init"]).ok();
    env.write("plans/p.toml", &draft_with(&["Alpha."], None));
    let out = env.treaty(&["commit", "p"]).expect(2);
    assert!(out.stderr.contains("--author"), "{out}");
    assert!(
        out.stderr.contains("git config --global user.name"),
        "{out}"
    );
    assert!(env.refs().is_empty());

    // --author is enough; so is the repository's configuration.
    env.treaty(&["commit", "p", "--author", "Ana Diaz <ana@example.org>"])
        .ok();
    let repo = env.repo();
    let commit = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(commit.author().name(), Ok("Ana Diaz"));
    assert_eq!(commit.committer().email(), Ok("ana@example.org"));
    let mut config = env.repo().config().unwrap();
    config.set_str("user.name", "Config User").unwrap();
    config.set_str("user.email", "config@example.org").unwrap();
    env.write("plans/p.toml", &draft_with(&["Alpha!"], None));
    env.treaty(&["commit", "p"]).ok();
    let repo = env.repo();
    let commit = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(commit.author().name(), Ok("Config User"));

    let out = env.treaty(&["commit", "p", "--author", "nobody"]).expect(2);
    assert!(out.stderr.contains("Name <mail>"), "{out}");
}

#[test]
fn a_global_config_file_gives_the_author() {
    let mut env = Env::new();
    env.write(
        "gitconfig",
        "[user]\n\tname = Global User\n\temail = global@example.org\n",
    );
    let config = env.path("gitconfig").display().to_string();
    env.vars.push(("GIT_CONFIG_GLOBAL".into(), config));
    env.treaty(&["init", "ws"]).ok();
    env.write("ws/plans/p.toml", &draft_with(&["Alpha."], None));
    env.treaty_in(&env.path("ws"), &["commit", "p"]).ok();
    let repo = git2::Repository::open(env.path("ws")).unwrap();
    let commit = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(commit.author().name(), Ok("Global User"));
}

#[test]
fn file_option_copies_the_received_draft() {
    let env = with_r1();
    let received = draft_with(&["Alpha.", "Beta.", "Gamma."], Some("e3"));
    env.write("inbox/e3.toml", &received);
    env.treaty(&["commit", "p", "--file", "inbox/e3.toml"]).ok();
    // The received draft, with the ids pinned on commit.
    let pinned = env.read("plans/p.toml");
    let without_ids: String = pinned
        .lines()
        .filter(|l| !l.starts_with("id = "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(without_ids, received);
    assert_eq!(pinned.matches("\nid = ").count(), 3);
    assert_eq!(changed_paths(&env, env.head().unwrap()), ["plans/p.toml"]);
    // `.gitattributes` is `treaty init`'s (the diff driver), not the commit's.
    assert_eq!(
        env.status(),
        [
            (".gitattributes".to_string(), git2::Status::WT_NEW),
            ("inbox/e3.toml".to_string(), git2::Status::WT_NEW)
        ]
    );
}

#[test]
fn commit_works_from_a_subdirectory_and_with_repo_option() {
    let env = Env::workspace();
    env.write("plans/p.toml", &draft_with(&["Alpha."], None));
    env.write("deep/down/.keep", "");
    env.treaty_in(&env.path("deep/down"), &["commit", "p"]).ok();
    env.write("plans/p.toml", &draft_with(&["Alpha!"], None));
    let elsewhere = tempfile::tempdir().unwrap();
    let root = env.root().display().to_string();
    env.treaty_in(elsewhere.path(), &["--repo", &root, "commit", "p"])
        .ok();
    let out = env.treaty(&["log", "p"]).ok();
    assert_eq!(out.lines().count(), 2, "{out}");
    let out = env.treaty_in(elsewhere.path(), &["commit", "p"]).expect(2);
    assert!(out.stderr.contains("no git repository"), "{out}");
}

#[test]
fn a_held_branch_lock_fails_clearly_and_writes_nothing() {
    let env = with_r1();
    let refs = env.refs();
    let plan_before = env.read("plans/p.toml");
    env.write(".git/refs/heads/main.lock", "");
    env.write("inbox/next.toml", &draft_with(&["Alpha!"], None));
    let out = env
        .treaty(&["commit", "p", "--file", "inbox/next.toml"])
        .expect(3);
    assert!(out.stderr.contains("refs/heads/main.lock"), "{out}");
    assert!(out.stderr.contains("rm '"), "{out}");
    assert_eq!(env.refs(), refs);
    assert_eq!(env.read("plans/p.toml"), plan_before);
    assert!(!env.path(".git/index.lock").exists());
    assert_eq!(status_of(&env, "plans/p.toml"), None);
}

#[test]
fn a_held_index_lock_fails_clearly() {
    let env = with_r1();
    let refs = env.refs();
    env.write(".git/index.lock", "");
    env.write("plans/p.toml", &draft_with(&["Alpha!"], None));
    let out = env.treaty(&["commit", "p"]).expect(3);
    assert!(out.stderr.contains(".git/index.lock"), "{out}");
    assert_eq!(env.refs(), refs);
    assert!(env.path(".git/index.lock").exists());
}

#[test]
fn a_malformed_label_or_empty_message_is_refused() {
    let env = with_r1();
    let refs = env.refs();
    env.write("plans/p.toml", &draft_with(&["Alpha!"], None));
    for args in [
        &["commit", "p", "--label", "Geneva"][..],
        &["commit", "p", "--label", "a/b"],
        &["commit", "p", "-m", "  "],
    ] {
        let out = env.treaty(args).expect(2);
        assert!(out.stderr.contains("error:"), "{out}");
    }
    assert_eq!(env.refs(), refs);
}

#[test]
fn commit_file_imports_a_published_text() {
    let env = with_r1();
    env.write(
        "received.txt",
        "Draft after the talks\n\n1. Alpha, reworded after talks.\n2. Beta.\n3. A new point on elections [within 100 days][as soon as possible].\n",
    );
    let out = env.treaty(&["commit", "p", "--file", "received.txt"]);
    assert_eq!(out.status, 0, "{out}");
    assert!(
        out.stderr.contains("imported received.txt: 3 points"),
        "{out}"
    );
    let v = env
        .treaty(&["show", "p", "latest", "--format", "json"])
        .json();
    assert_eq!(v["rev"]["rev"], "r2");
    assert_eq!(v["points"].as_array().unwrap().len(), 3);
    assert_eq!(v["points"][2]["brackets"], 1);
    // The plan keeps its parties.
    assert_eq!(v["plan"]["parties"], serde_json::json!(["A", "B"]));
    // The working file now holds the imported draft and is clean.
    env.treaty(&["check", "plans/p.toml"]).ok();
    assert!(env.status().iter().all(|(p, _)| p != "plans/p.toml"));
}

#[test]
fn commit_file_with_a_repeated_number_writes_nothing() {
    let env = with_r1();
    let before = env.read("plans/p.toml");
    let head = env.head();
    env.write("received.txt", "1. One.\n2. Two.\n2. Two again.\n");
    let out = env
        .treaty(&["commit", "p", "--file", "received.txt"])
        .expect(2);
    assert!(out.stderr.contains("line 3"), "{out}");
    assert_eq!(env.read("plans/p.toml"), before);
    assert_eq!(env.head(), head);
}
