//! A hermetic environment for driving the real `treaty` binary: a temporary
//! directory, a temporary HOME, no user or system git configuration, a fixed
//! author and clock, no colour unless asked.

#![allow(dead_code)]

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// One temporary workspace.
pub struct Env {
    pub dir: TempDir,
    home: TempDir,
    /// Extra environment variables for every run.
    pub vars: Vec<(String, String)>,
}

/// What a run printed and how it exited; `Display` shows all three so one
/// snapshot checks them together.
#[derive(Debug)]
pub struct Outcome {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Panics with the whole outcome unless the exit status is `code`.
    #[track_caller]
    pub fn expect(self, code: i32) -> Outcome {
        assert_eq!(self.status, code, "unexpected exit status:\n{self}");
        self
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(self) -> String {
        self.expect(0).stdout
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "status: {}\n--- stdout\n{}--- stderr\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// The repository's root (for the shipped example plans).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped Ukraine drafts, oldest first, as absolute paths.
pub fn ukraine_drafts() -> Vec<String> {
    ["01-us-28", "02-e3", "03-geneva-19", "04-framework-20"]
        .iter()
        .map(|f| {
            project_root()
                .join(format!("plans/ukraine-2025/{f}.toml"))
                .display()
                .to_string()
        })
        .collect()
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::Builder::new()
                .prefix("treaty-test")
                .tempdir()
                .expect("temp dir"),
            home: tempfile::Builder::new()
                .prefix("treaty-home")
                .tempdir()
                .expect("temp home"),
            vars: Vec::new(),
        }
    }

    /// The workspace root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the workspace.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, content: &str) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, content).expect("write");
        p
    }

    /// Reads a file of the workspace.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    /// Runs `treaty ARGS` in the workspace root.
    pub fn treaty(&self, args: &[&str]) -> Outcome {
        self.treaty_in(self.dir.path(), args)
    }

    /// Runs `treaty ARGS` in `cwd`.
    pub fn treaty_in(&self, cwd: &Path, args: &[&str]) -> Outcome {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_treaty"));
        cmd.args(args).current_dir(cwd).env_clear();
        for (k, v) in self.base_vars() {
            cmd.env(k, v);
        }
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run treaty");
        Outcome {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `treaty ARGS` in the workspace root with `input` on standard input.
    pub fn treaty_stdin(&self, args: &[&str], input: &[u8]) -> Outcome {
        use std::io::Write;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_treaty"));
        cmd.args(args).current_dir(self.dir.path()).env_clear();
        for (k, v) in self.base_vars().iter().chain(&self.vars) {
            cmd.env(k, v);
        }
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("run treaty");
        let mut stdin = child.stdin.take().expect("stdin");
        let input = input.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().expect("wait for treaty");
        writer.join().expect("stdin writer");
        Outcome {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `program` set up like `treaty` runs: in the workspace root, with the
    /// hermetic environment (PATH kept, no user or system git configuration).
    pub fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.dir.path()).env_clear();
        for (k, v) in self.base_vars().iter().chain(&self.vars) {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs `program ARGS` in `cwd` (see [`Env::command`]).
    pub fn run_in(&self, cwd: &Path, program: &Path, args: &[&str]) -> Outcome {
        let out = self
            .command(program)
            .current_dir(cwd)
            .args(args)
            .output()
            .expect("run program");
        Outcome {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `treaty ARGS` in the workspace root with its address space limited
    /// to `max_mib` MiB (Unix `ulimit -v`), and returns the outcome and how
    /// long it took. Elsewhere, runs it without a limit.
    pub fn treaty_limited(&self, max_mib: u64, args: &[&str]) -> (Outcome, std::time::Duration) {
        let start = std::time::Instant::now();
        if !cfg!(unix) {
            let out = self.treaty(args);
            return (out, start.elapsed());
        }
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c")
            .arg(r#"ulimit -v "$1" && shift && exec "$@""#)
            .arg("sh")
            .arg((max_mib * 1024).to_string())
            .arg(env!("CARGO_BIN_EXE_treaty"))
            .args(args)
            .current_dir(self.dir.path())
            .env_clear();
        for (k, v) in self.base_vars() {
            cmd.env(k, v);
        }
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run treaty");
        let outcome = Outcome {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        (outcome, start.elapsed())
    }

    fn base_vars(&self) -> Vec<(String, String)> {
        let home = self.home.path().display().to_string();
        vec![
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            ("HOME".into(), home.clone()),
            ("XDG_CONFIG_HOME".into(), format!("{home}/.config")),
            ("GIT_CONFIG_GLOBAL".into(), "/dev/null".into()),
            ("GIT_CONFIG_NOSYSTEM".into(), "1".into()),
            ("TZ".into(), "UTC".into()),
            ("LANG".into(), "C.UTF-8".into()),
        ]
    }

    /// Sets a fixed author and clock for commits made by `treaty`.
    /// Sets (or replaces) an environment variable for every later run.
    pub fn set_var(&mut self, key: &str, value: &str) {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.into(), value.into()));
    }

    /// Removes a variable set with [`Env::set_var`].
    pub fn unset_var(&mut self, key: &str) {
        self.vars.retain(|(k, _)| k != key);
    }

    pub fn with_author(mut self) -> Env {
        for (k, v) in [
            ("GIT_AUTHOR_NAME", "Test Author"),
            ("GIT_AUTHOR_EMAIL", "author@example.org"),
            ("GIT_COMMITTER_NAME", "Test Author"),
            ("GIT_COMMITTER_EMAIL", "author@example.org"),
            ("GIT_AUTHOR_DATE", "2025-11-20T12:00:00+00:00"),
            ("GIT_COMMITTER_DATE", "2025-11-20T12:00:00+00:00"),
        ] {
            self.vars.push((k.into(), v.into()));
        }
        self
    }
}

/// A small valid draft with `n` points, for tests.
pub fn draft(n: usize) -> String {
    let mut s = String::from("[plan]\ntitle = \"Test plan\"\nparties = [\"A\", \"B\"]\n");
    for i in 1..=n {
        s.push_str(&format!("\n[[points]]\nnumber = \"{i}\"\ntext = \"Point {i} says something about topic {i}.\"\n"));
    }
    s
}

impl Env {
    /// A workspace made by `treaty init`, with a fixed author and clock.
    pub fn workspace() -> Env {
        let env = Env::new().with_author();
        env.treaty(&["init"]).ok();
        env
    }

    /// The workspace's repository, to check its state with git2.
    pub fn repo(&self) -> git2::Repository {
        git2::Repository::open(self.root()).expect("open repository")
    }

    /// The commit at the tip of HEAD, if any.
    pub fn head(&self) -> Option<git2::Oid> {
        self.repo().head().ok().and_then(|h| h.target())
    }

    /// Every reference and what it points at, to compare before and after.
    pub fn refs(&self) -> Vec<(String, Option<git2::Oid>)> {
        let repo = self.repo();
        let mut refs: Vec<_> = repo
            .references()
            .expect("references")
            .map(|r| {
                let r = r.expect("reference");
                (r.name().unwrap_or_default().to_string(), r.target())
            })
            .collect();
        refs.sort();
        refs
    }

    /// Status of every path git reports (untracked included), as git2 sees it.
    pub fn status(&self) -> Vec<(String, git2::Status)> {
        let repo = self.repo();
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true);
        let statuses = repo.statuses(Some(&mut opts)).expect("statuses");
        let mut out: Vec<_> = statuses
            .iter()
            .map(|s| (s.path().unwrap_or_default().to_string(), s.status()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Stages `rel` as `git add` would.
    pub fn stage(&self, rel: &str) {
        let repo = self.repo();
        let mut index = repo.index().expect("index");
        index.add_path(Path::new(rel)).expect("add");
        index.write().expect("write index");
    }

    /// Commits the index on HEAD as a plain git user would (no treaty).
    pub fn git_commit(&self, message: &str) -> git2::Oid {
        let repo = self.repo();
        let mut index = repo.index().expect("index");
        let tree = repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let sig = git2::Signature::new(
            "Git User",
            "git@example.org",
            &git2::Time::new(1_700_000_000, 0),
        )
        .expect("signature");
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .expect("commit")
    }
}

/// A draft whose points are `texts`, with an optional label.
pub fn draft_with(texts: &[&str], label: Option<&str>) -> String {
    let mut s = String::from("[plan]\ntitle = \"Test plan\"\nparties = [\"A\", \"B\"]\n");
    if let Some(label) = label {
        s.push_str(&format!("\n[draft]\nlabel = \"{label}\"\n"));
    }
    for (i, t) in texts.iter().enumerate() {
        s.push_str(&format!(
            "\n[[points]]\nnumber = \"{}\"\ntext = \"{t}\"\n",
            i + 1
        ));
    }
    s
}
