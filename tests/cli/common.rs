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
