use crate::common::Env;

#[test]
fn init_creates_a_repository_on_main_with_plans() {
    let env = Env::new();
    let out = env.treaty(&["init"]).ok();
    assert!(out.contains("Created a treaty workspace"), "{out}");
    let repo = env.repo();
    let head = repo.find_reference("HEAD").unwrap();
    assert_eq!(head.symbolic_target().unwrap(), Some("refs/heads/main"));
    assert!(repo.head().is_err(), "the branch is unborn");
    assert!(env.path("plans").is_dir());
    // The only file: the attributes that make git diff plans with treaty.
    assert_eq!(
        env.status(),
        [(".gitattributes".to_string(), git2::Status::WT_NEW)]
    );
}

#[test]
fn init_creates_a_missing_folder() {
    let env = Env::new();
    env.treaty(&["init", "talks/2025"]).ok();
    assert!(env.path("talks/2025/.git").is_dir());
    assert!(env.path("talks/2025/plans").is_dir());
    assert!(!env.path(".git").exists());
}

#[test]
fn init_honours_repo_option() {
    let env = Env::new();
    env.treaty(&["--repo", "ws", "init"]).ok();
    assert!(env.path("ws/.git").is_dir() && env.path("ws/plans").is_dir());
}

#[test]
fn init_inside_an_existing_repository_touches_only_plans_and_attributes() {
    let env = Env::new().with_author();
    git2::Repository::init(env.root()).unwrap();
    env.write("README.md", "hello\n");
    env.stage("README.md");
    let first = env.git_commit("first");
    env.write("README.md", "changed, not staged\n");
    env.write("new.txt", "staged\n");
    env.stage("new.txt");
    env.write("sub/untracked.txt", "x\n");
    let (refs, status) = (env.refs(), env.status());
    let index = std::fs::read(env.path(".git/index")).unwrap();

    let out = env.treaty_in(&env.path("sub"), &["init"]).ok();
    assert!(out.contains("created plans/"), "{out}");
    assert!(env.path("plans").is_dir());
    assert!(!env.path("sub/plans").exists() && !env.path("sub/.git").exists());
    assert_eq!(env.refs(), refs);
    let mut status = status;
    status.push((".gitattributes".to_string(), git2::Status::WT_NEW));
    status.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(env.status(), status);
    assert_eq!(std::fs::read(env.path(".git/index")).unwrap(), index);
    assert_eq!(env.head(), Some(first));

    let again = env.treaty(&["init"]).ok();
    assert!(again.contains("nothing changed"), "{again}");
}
