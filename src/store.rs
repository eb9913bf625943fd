//! The store: the only place that touches git. It finds the workspace, lists
//! plans, reads a plan at any revision straight from the object database, and
//! records new revisions.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Whether `name` is a valid plan name: `[a-z0-9][a-z0-9_-]{0,63}`.
pub fn is_valid_plan_name(name: &str) -> bool {
    name.len() <= 64 && crate::plan::is_valid_id(name)
}

/// Checks a plan name, with a clear error.
pub fn check_plan_name(name: &str) -> Result<()> {
    if is_valid_plan_name(name) {
        Ok(())
    } else {
        Err(Error::InvalidPlanName {
            name: name.to_string(),
        })
    }
}

/// A workspace: a git repository with plans in `plans/`.
pub struct Store {
    repo: git2::Repository,
    workdir: PathBuf,
}

impl Store {
    /// Finds the repository at or above `start` (git discovery).
    pub fn discover(start: &Path) -> Result<Store> {
        let repo = git2::Repository::discover(start).map_err(|_| Error::NoRepository {
            path: start.to_path_buf(),
        })?;
        Store::from_repo(repo, start)
    }

    /// Opens the repository at exactly `dir` (the `--repo` option).
    pub fn open(dir: &Path) -> Result<Store> {
        let repo = git2::Repository::open(dir).map_err(|_| Error::NoRepository {
            path: dir.to_path_buf(),
        })?;
        Store::from_repo(repo, dir)
    }

    fn from_repo(repo: git2::Repository, start: &Path) -> Result<Store> {
        let workdir = repo
            .workdir()
            .ok_or_else(|| {
                Error::refused(
                    format!("the repository at {} is bare", start.display()),
                    "plans live in a repository with a working tree; clone it first",
                )
            })?
            .to_path_buf();
        Ok(Store { repo, workdir })
    }

    /// The root of the working tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// `plans/<name>.toml` in the working tree.
    pub fn plan_path(&self, name: &str) -> PathBuf {
        self.workdir.join("plans").join(format!("{name}.toml"))
    }

    /// The underlying repository (crate-internal).
    #[allow(dead_code)]
    pub(crate) fn repo(&self) -> &git2::Repository {
        &self.repo
    }
}
