//! Unit tests of the store: recording (including the paths a CLI test cannot
//! reach, such as a branch that moves between the commit and the ref update),
//! history and revision resolution.

use super::*;

const AUTHOR: &str = "Test Author <author@example.org>";

fn workspace() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (store, done) = Store::init(dir.path()).unwrap();
    assert!(done.created_repository && done.created_plans);
    (dir, store)
}

fn draft(texts: &[&str], label: Option<&str>) -> String {
    let mut s = String::from("[plan]\ntitle = \"T\"\nparties = [\"A\", \"B\"]\n");
    if let Some(label) = label {
        s.push_str(&format!("[draft]\nlabel = \"{label}\"\n"));
    }
    for (i, t) in texts.iter().enumerate() {
        s.push_str(&format!(
            "[[points]]\nnumber = \"{}\"\ntext = \"{t}\"\n",
            i + 1
        ));
    }
    s
}

fn request() -> CommitRequest {
    CommitRequest {
        author: Some(AUTHOR.into()),
        ..CommitRequest::default()
    }
}

fn write(store: &Store, name: &str, text: &str) {
    std::fs::write(store.plan_path(name), text).unwrap();
}

fn head(store: &Store) -> Option<Oid> {
    store.repo.refname_to_id("refs/heads/main").ok()
}

/// Commits `notes.txt` (with `text`) on top of main, as another writer would.
fn move_main(repo: &git2::Repository, text: &str) -> Oid {
    let tip = repo.refname_to_id("refs/heads/main").unwrap();
    let parent = repo.find_commit(tip).unwrap();
    let mut tb = repo.treebuilder(Some(&parent.tree().unwrap())).unwrap();
    let blob = repo.blob(text.as_bytes()).unwrap();
    tb.insert("notes.txt", blob, 0o100_644).unwrap();
    let tree = repo.find_tree(tb.write().unwrap()).unwrap();
    let sig = git2::Signature::now("Other", "other@example.org").unwrap();
    repo.commit(
        Some("refs/heads/main"),
        &sig,
        &sig,
        "other writer",
        &tree,
        &[&parent],
    )
    .unwrap()
}

#[test]
fn first_commit_on_an_unborn_branch() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], None));
    let rev = store.commit("p", &request()).unwrap();
    assert_eq!(rev.rev, "r1");
    let commit = store.repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(commit.parent_count(), 0);
    assert_eq!(
        rev.commit.as_deref(),
        Some(commit.id().to_string().as_str())
    );
    assert_eq!(
        commit.message().unwrap(),
        "p: first draft, 1 point\n\nTreaty-Plan: p\n"
    );
}

#[test]
fn a_branch_that_moved_underneath_is_retried_on_its_new_tip() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], None));
    store.commit("p", &request()).unwrap();
    write(&store, "p", &draft(&["a", "b"], None));
    let mut moved = None;
    let rev = store
        .commit_with("p", &request(), &mut |repo, attempt| {
            if attempt == 0 {
                moved = Some(move_main(repo, "meanwhile"));
            }
        })
        .unwrap();
    assert_eq!(rev.rev, "r2");
    let commit = store.repo.head().unwrap().peel_to_commit().unwrap();
    // Built on the other writer's commit, keeping its file.
    assert_eq!(Some(commit.parent_id(0).unwrap()), moved);
    assert!(commit.tree().unwrap().get_name("notes.txt").is_some());
    assert_eq!(commit.message().unwrap().lines().next(), Some("p: 1 added"));
}

#[test]
fn a_branch_that_keeps_moving_fails_cleanly() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], None));
    store.commit("p", &request()).unwrap();
    let before = std::fs::read_to_string(store.plan_path("p")).unwrap();
    let received = store.workdir().join("received.toml");
    std::fs::write(&received, draft(&["a", "b"], None)).unwrap();
    let mut last = None;
    let err = store
        .commit_with(
            "p",
            &CommitRequest {
                file: Some(crate::store::Received::read(&received).unwrap()),
                ..request()
            },
            &mut |repo, attempt| last = Some(move_main(repo, &format!("n{attempt}"))),
        )
        .unwrap_err();
    assert!(err.to_string().contains("kept moving"), "{err}");
    assert_eq!(err.exit_code(), 3);
    // The other writer's commits stand; ours is not on the branch; the
    // working file is back as it was; no lock is left behind.
    assert_eq!(head(&store), last);
    assert_eq!(
        std::fs::read_to_string(store.plan_path("p")).unwrap(),
        before
    );
    assert!(!store.repo.path().join("index.lock").exists());
}

#[test]
fn a_held_branch_lock_fails_with_its_path() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], None));
    store.commit("p", &request()).unwrap();
    let before = head(&store);
    let index_before = std::fs::read(store.repo.path().join("index")).unwrap();
    let lock = store.repo.path().join("refs/heads/main.lock");
    std::fs::write(&lock, "").unwrap();
    write(&store, "p", &draft(&["a", "b"], None));
    let err = store.commit("p", &request()).unwrap_err();
    match &err {
        Error::Locked { path, .. } => assert!(path.ends_with("refs/heads/main.lock"), "{err}"),
        other => panic!("unexpected error: {other}"),
    }
    assert!(err.to_string().contains("rm '"), "{err}");
    assert_eq!(head(&store), before);
    assert_eq!(
        std::fs::read(store.repo.path().join("index")).unwrap(),
        index_before
    );
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(store.commit("p", &request()).unwrap().rev, "r2");
}

#[test]
fn a_held_index_lock_fails_before_anything_is_written() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], None));
    let lock = store.repo.path().join("index.lock");
    std::fs::write(&lock, "").unwrap();
    let err = store.commit("p", &request()).unwrap_err();
    assert!(
        matches!(&err, Error::Locked { what, .. } if what == "the index"),
        "{err}"
    );
    assert_eq!(head(&store), None);
    assert!(lock.exists(), "someone else's lock is left alone");
}

#[test]
fn a_tag_that_appears_meanwhile_takes_the_commit_back() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], None));
    store.commit("p", &request()).unwrap();
    let before = head(&store);
    write(&store, "p", &draft(&["a", "b"], Some("geneva")));
    let err = store
        .commit_with("p", &request(), &mut |repo, _| {
            let tip = repo.refname_to_id("refs/heads/main").unwrap();
            repo.reference("refs/tags/p/geneva", tip, false, "race")
                .unwrap();
        })
        .unwrap_err();
    assert!(err.to_string().contains("already used"), "{err}");
    assert_eq!(head(&store), before);
}

#[test]
fn history_keeps_only_commits_that_change_the_plan() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], Some("one")));
    store.commit("p", &request()).unwrap();
    move_main(&store.repo, "unrelated");
    write(&store, "p", &draft(&["a", "b"], None));
    store
        .commit(
            "p",
            &CommitRequest {
                label: Some("two".into()),
                ..request()
            },
        )
        .unwrap();
    move_main(&store.repo, "unrelated again");
    let history = store.history("p").unwrap();
    let revs: Vec<_> = history
        .iter()
        .map(|r| (r.rev.as_str(), r.label.as_deref()))
        .collect();
    assert_eq!(revs, [("r1", Some("one")), ("r2", Some("two"))]);

    // HEAD and HEAD~2 did not touch the plan: they stand for the revision
    // before them.
    for asked in ["HEAD", "HEAD~1", "two", "latest", "r2"] {
        let (info, plan) = store.resolve("p", &RevRef::parse(asked)).unwrap();
        assert_eq!((info.rev.as_str(), plan.points.len()), ("r2", 2), "{asked}");
    }
    for asked in ["HEAD~2", "HEAD~3", "one", "r1"] {
        let (info, _) = store.resolve("p", &RevRef::parse(asked)).unwrap();
        assert_eq!(info.rev, "r1", "{asked}");
    }
    let err = store.resolve("p", &RevRef::parse("r3")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown revision 'r3' of plan 'p': plan 'p' has r1…r2; labels: one, two"
    );
}

#[test]
fn a_label_written_only_in_the_draft_resolves() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], None));
    store.commit("p", &request()).unwrap();
    // A revision made with git alone: its label lives only in the draft.
    let text = draft(&["a", "b"], Some("leaked"));
    let blob = store.repo.blob(text.as_bytes()).unwrap();
    let tip = store.repo.head().unwrap().peel_to_commit().unwrap();
    let tree = store
        .tree_with(Some(&tip.tree().unwrap()), "p", blob, 0o100_644)
        .unwrap();
    let sig = git2::Signature::now("Git", "git@example.org").unwrap();
    store
        .repo
        .commit(Some("HEAD"), &sig, &sig, "by hand", &tree, &[&tip])
        .unwrap();
    let (info, plan) = store.resolve("p", &RevRef::parse("leaked")).unwrap();
    assert_eq!(
        (info.rev.as_str(), info.label.as_deref()),
        ("r2", Some("leaked"))
    );
    assert_eq!(plan.points.len(), 2);
}

#[test]
fn a_revision_off_the_first_parent_chain_is_named_as_asked() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], None));
    store.commit("p", &request()).unwrap();
    let tip = store.repo.head().unwrap().peel_to_commit().unwrap();
    let text = draft(&["a", "side"], None);
    let blob = store.repo.blob(text.as_bytes()).unwrap();
    let tree = store
        .tree_with(Some(&tip.tree().unwrap()), "p", blob, 0o100_644)
        .unwrap();
    let sig = git2::Signature::now("Git", "git@example.org").unwrap();
    let side = store
        .repo
        .commit(Some("refs/heads/side"), &sig, &sig, "side", &tree, &[&tip])
        .unwrap();
    let (info, plan) = store.resolve("p", &RevRef::parse("side")).unwrap();
    assert_eq!(info.rev, "side");
    assert_eq!(info.commit, Some(side.to_string()));
    assert_eq!(plan.points.len(), 2);
}

#[test]
fn the_current_draft_is_latest_until_the_file_changes() {
    let (_dir, store) = workspace();
    write(&store, "p", &draft(&["a"], None));
    assert_eq!(store.resolve_current("p").unwrap().0.rev, "working");
    store.commit("p", &request()).unwrap();
    assert_eq!(store.resolve_current("p").unwrap().0.rev, "r1");
    write(&store, "p", &draft(&["b"], None));
    assert_eq!(store.resolve_current("p").unwrap().0.rev, "working");
}

#[test]
fn plans_come_from_the_working_tree_and_head() {
    let (_dir, store) = workspace();
    write(&store, "b", &draft(&["a"], None));
    store.commit("b", &request()).unwrap();
    std::fs::remove_file(store.plan_path("b")).unwrap();
    write(&store, "a", &draft(&["a"], None));
    std::fs::write(store.workdir().join("plans/Not-A-Plan.toml"), "").unwrap();
    assert_eq!(store.plans().unwrap(), ["a", "b"]);
}

#[test]
fn init_inside_a_repository_touches_only_plans() {
    let dir = tempfile::tempdir().unwrap();
    git2::Repository::init(dir.path()).unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let (store, done) = Store::init(&sub).unwrap();
    assert!(!done.created_repository && done.created_plans);
    assert!(dir.path().join("plans").is_dir());
    assert!(!sub.join(".git").exists() && !sub.join("plans").exists());
    let (_, again) = Store::init(store.workdir()).unwrap();
    assert!(!again.created_repository && !again.created_plans);
}

#[test]
fn messages_carry_trailers() {
    let plan = Plan::parse(&draft(&["a"], None), "t").unwrap();
    assert_eq!(
        commit_message("p", Some("Geneva text\n\n"), None, &plan, Some("geneva")),
        "Geneva text\n\nTreaty-Plan: p\nTreaty-Label: geneva\n"
    );
}

#[test]
fn git_diff_setup_is_idempotent_and_keeps_other_attributes() {
    let (_dir, store) = workspace();
    let attributes = store.workdir().join(".gitattributes");
    std::fs::write(&attributes, "*.pdf binary").unwrap();
    let exe = Path::new("/opt/it's here/treaty");
    let done = store.setup_git_diff(exe).unwrap();
    assert_eq!(done.attributes_added, DIFF_ATTRIBUTES);
    assert_eq!(done.config_changed.len(), 3);
    let text = std::fs::read_to_string(&attributes).unwrap();
    assert!(
        text.starts_with("*.pdf binary\n# Plans are diffed"),
        "{text}"
    );
    assert!(text.ends_with("plans/*.toml diff=treaty\nplans/**/*.toml diff=treaty\n"));
    let config = store.repo().config().unwrap();
    assert_eq!(
        config.get_string("diff.treaty.command").unwrap(),
        "'/opt/it'\\''s here/treaty' git-diff-driver"
    );
    assert_eq!(
        config.get_string("diff.treaty.textconv").unwrap(),
        "'/opt/it'\\''s here/treaty' git-textconv"
    );

    let again = store.setup_git_diff(exe).unwrap();
    assert!(!again.changed(), "{again:?}");
    assert_eq!(std::fs::read_to_string(&attributes).unwrap(), text);
    // A moved executable updates the configuration only.
    let moved = store.setup_git_diff(Path::new("/usr/bin/treaty")).unwrap();
    assert!(moved.attributes_added.is_empty());
    assert_eq!(
        moved.config_changed,
        ["diff.treaty.command", "diff.treaty.textconv"]
    );
}

#[test]
fn shell_quoting_survives_a_shell() {
    assert_eq!(shell_quote("/a b/c"), "'/a b/c'");
    assert_eq!(shell_quote("it's"), "'it'\\''s'");
}

/// A commit that waits for `index.lock` reads the tip only once it holds the
/// lock: a point it adds gets an id the revision it follows does not already
/// give another point. (Pinning against the tip read before waiting gave two
/// concurrent senders' new points the same id `p-3`.)
#[test]
fn a_commit_that_waits_for_the_index_pins_ids_against_the_tip_it_follows() {
    let (dir, store) = workspace();
    let kept = ["Sovereignty is confirmed.", "Elections within 100 days."];
    write(&store, "p", &draft(&kept, None));
    store.commit("p", &request()).unwrap();
    // Another writer holds the index while it records r2, which adds point 3.
    let lock = store.repo.path().join("index.lock");
    std::fs::write(&lock, "").unwrap();
    let path = dir.path().to_path_buf();
    let waiting = std::thread::spawn(move || {
        let store = Store::open(&path).unwrap();
        let mine = draft(
            &[kept[0], kept[1], "Kiloville kiloists kiloport kilotide."],
            None,
        );
        let request = CommitRequest {
            file: Some(Received {
                name: "mine.toml".into(),
                bytes: mine.into_bytes(),
            }),
            ..request()
        };
        store.commit("p", &request)
    });
    std::thread::sleep(Duration::from_millis(150));
    let r1 = head(&store).unwrap();
    let theirs = store
        .repo
        .find_blob(store.plan_blob_at(r1, "p").unwrap().unwrap().0);
    let theirs = String::from_utf8(theirs.unwrap().content().to_vec()).unwrap()
        + "\n[[points]]\nid = \"p-3\"\nnumber = \"3\"\ntext = \"Romeoville romeoists romeoport romeotide.\"\n";
    let parent = store.repo.find_commit(r1).unwrap();
    let blob = store.repo.blob(theirs.as_bytes()).unwrap();
    let tree = store
        .tree_with(Some(&parent.tree().unwrap()), "p", blob, 0o100_644)
        .unwrap();
    let sig = git2::Signature::now("Other", "other@example.org").unwrap();
    let r2 = store
        .repo
        .commit(Some("refs/heads/main"), &sig, &sig, "r2", &tree, &[&parent])
        .unwrap();
    std::fs::remove_file(&lock).unwrap();

    let r3 = waiting.join().unwrap().unwrap();
    assert_eq!(r3.rev, "r3");
    let r3 = store.repo.find_commit(head(&store).unwrap()).unwrap();
    assert_eq!(r3.parent_id(0).unwrap(), r2);
    let (blob, _) = store.plan_blob_at(r3.id(), "p").unwrap().unwrap();
    let plan = store.parse_blob(blob, "r3").unwrap();
    let added = plan
        .points
        .iter()
        .find(|p| p.text.starts_with("Kiloville"))
        .unwrap();
    assert_ne!(
        added.id.as_deref(),
        Some("p-3"),
        "r2's point 3 already has p-3"
    );
    assert_eq!(plan.points[0].id, Some("p-1".into()));
}

/// A commit killed after moving the branch and before updating the index
/// (found by `tests/cli/crash.rs`) left the plan's index entry behind: the
/// next commit, refused as unchanged, brings it in line so that `git status`
/// is clean and a plain `git commit` does not record the old entry.
#[test]
fn an_unchanged_commit_finishes_an_interrupted_one() {
    let (_dir, store) = workspace();
    let text = draft(&["a", "b"], None);
    write(&store, "p", &text);
    // The state a kill leaves: branch moved, working file written, index not.
    let (bytes, _) = {
        let plan = Plan::parse(&text, "p.toml").unwrap();
        let pinned = changes::pin_ids(None, &plan, text.clone().into_bytes(), "p.toml").unwrap();
        (pinned, plan)
    };
    write(&store, "p", std::str::from_utf8(&bytes).unwrap());
    let blob = store.repo.blob(&bytes).unwrap();
    let tree = store.tree_with(None, "p", blob, 0o100_644).unwrap();
    let sig = git2::Signature::now("T", "t@example.org").unwrap();
    store
        .repo
        .commit(
            Some("refs/heads/main"),
            &sig,
            &sig,
            "p: first draft",
            &tree,
            &[],
        )
        .unwrap();
    let status = |store: &Store| store.repo.status_file(Path::new("plans/p.toml")).unwrap();
    assert!(!status(&store).is_empty(), "the index is behind");

    let err = store.commit("p", &request()).unwrap_err();
    assert!(err.to_string().contains("unchanged"), "{err}");
    assert!(status(&store).is_empty(), "{:?}", status(&store));
    assert!(!store.repo.path().join("index.lock").exists());

    // A user's own staged version of the plan is not touched when the file
    // on disk is not the recorded draft (`--file` with the recorded draft).
    write(&store, "p", &draft(&["a", "b", "c"], None));
    let mut index = store.repo.index().unwrap();
    index.add_path(Path::new("plans/p.toml")).unwrap();
    index.write().unwrap();
    let staged = |store: &Store| {
        let mut index = store.repo.index().unwrap();
        index.read(true).unwrap();
        index.get_path(Path::new("plans/p.toml"), 0).unwrap().id
    };
    let before = staged(&store);
    let request = CommitRequest {
        file: Some(Received {
            name: "same.toml".into(),
            bytes: bytes.clone(),
        }),
        ..request()
    };
    assert!(store.commit("p", &request).is_err());
    assert_eq!(staged(&store), before);
}
