//! The store: the only place that touches git. It finds or creates the
//! workspace, lists plans, reads a plan at any revision straight from the
//! object database (no checkout, no temporary files), resolves revision
//! references, and records new revisions.
//!
//! A plan's revisions are the commits of the first-parent history of `HEAD`
//! whose `plans/<name>.toml` differs from their first parent's; the oldest is
//! `r1`.
//!
//! Recording a revision ([`Store::commit`]) validates everything before it
//! writes anything, then writes in an order that never leaves the repository
//! half-updated: objects (blob, trees, commit), then the branch with a
//! compare-and-swap on its old value (retried a few times if the branch moved
//! or its lock is held), then the label's tag, then the plan's index entry. The
//! commit's tree is HEAD's tree with only the plan's file replaced, so whatever
//! else the user staged or changed stays exactly as it was. Everything that
//! depends on the branch's tip (id pinning, the unchanged and label checks) is
//! read while holding git's `index.lock`, so concurrent commits take turns;
//! a commit killed while holding it leaves the lock behind, as git does, and
//! the next one names it and says how to remove it.

mod ident;

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use git2::{ErrorCode, ObjectType, Oid};

use crate::changes;
use crate::error::{Error, Result};
use crate::plan::{is_valid_label, Plan};
use crate::revision::{RevInfo, RevRef};

/// How many times a commit tries to move its branch (or take the index lock)
/// before giving up.
const ATTEMPTS: u32 = 6;

/// The pause before attempt `n` (1-based): 25, 50, 100, 200, 400 ms, plus up
/// to half as much again so that waiting writers do not retry in step.
fn backoff(attempt: u32) -> Duration {
    let base = 25u64 << attempt.saturating_sub(1).min(4);
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()))
        % (base / 2 + 1);
    Duration::from_millis(base + jitter)
}

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

/// `plans/<name>.toml`, as git names it.
fn plan_rel(name: &str) -> String {
    format!("plans/{name}.toml")
}

/// Maps a git error to a repository failure (exit 3) saying what was being
/// done.
fn git(context: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
    let context = context.into();
    move |e| Error::Repository {
        context,
        message: e.message().to_string(),
    }
}

/// What `treaty init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initialised {
    /// The root of the working tree.
    pub workdir: PathBuf,
    /// Whether a new git repository was created.
    pub created_repository: bool,
    /// Whether `plans/` was created.
    pub created_plans: bool,
}

/// The name of the diff driver `treaty` registers with git.
pub const DIFF_DRIVER: &str = "treaty";

/// The `.gitattributes` lines that send plans to the driver.
pub const DIFF_ATTRIBUTES: [&str; 2] = ["plans/*.toml diff=treaty", "plans/**/*.toml diff=treaty"];

/// What [`Store::setup_git_diff`] changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GitDiffSetup {
    /// The `.gitattributes` file of the working tree.
    pub attributes: PathBuf,
    /// Lines added to it (none: they were there).
    pub attributes_added: Vec<String>,
    /// Configuration keys set or changed in the repository's own config.
    pub config_changed: Vec<String>,
}

impl GitDiffSetup {
    /// Whether anything changed.
    pub fn changed(&self) -> bool {
        !self.attributes_added.is_empty() || !self.config_changed.is_empty()
    }
}

/// `'…'`: a word the shell reads back exactly (`'` becomes `'\''`).
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// What `treaty commit` is asked to record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitRequest {
    /// The commit message (`-m`); generated when absent.
    pub message: Option<String>,
    /// The label (`--label`); else the draft's `[draft] label`.
    pub label: Option<String>,
    /// A received draft to copy into `plans/<name>.toml` first (`--file`).
    pub file: Option<Received>,
    /// `Name <mail>` (`--author`); else the environment and git configuration.
    pub author: Option<String>,
}

/// A received draft: how to name it in messages, and its TOML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Received {
    /// Reads a draft file as it is.
    pub fn read(path: &Path) -> Result<Received> {
        let bytes = std::fs::read(path).map_err(|source| Error::ReadFile {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Received {
            name: path.display().to_string(),
            bytes,
        })
    }
}

/// One revision of a plan, with the ids the store needs to read it again.
#[derive(Debug, Clone)]
struct Revision {
    info: RevInfo,
    commit: Oid,
    blob: Oid,
}

/// A workspace: a git repository with plans in `plans/`.
pub struct Store {
    repo: git2::Repository,
    workdir: PathBuf,
}

/// `GIT_CEILING_DIRECTORIES`, as git reads it.
fn ceiling_dirs() -> Vec<OsString> {
    std::env::var_os("GIT_CEILING_DIRECTORIES")
        .map(|v| {
            std::env::split_paths(&v)
                .map(PathBuf::into_os_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Opens a repository the way git does, honouring its environment
/// (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_NOSYSTEM`, `GIT_INDEX_FILE`, …).
fn open_repo(start: &Path, search: bool) -> std::result::Result<git2::Repository, git2::Error> {
    let mut flags = git2::RepositoryOpenFlags::FROM_ENV;
    if !search {
        flags |= git2::RepositoryOpenFlags::NO_SEARCH;
    }
    git2::Repository::open_ext(start, flags, ceiling_dirs())
}

fn no_repository(path: &Path) -> impl FnOnce(git2::Error) -> Error + '_ {
    move |e| match e.code() {
        ErrorCode::NotFound => Error::NoRepository {
            path: path.to_path_buf(),
        },
        _ => Error::Repository {
            context: format!("cannot open the repository at {}", path.display()),
            message: e.message().to_string(),
        },
    }
}

impl Store {
    /// Makes `dir` a workspace: uses the repository at or above it if there is
    /// one, else creates one (initial branch `main`, creating `dir` if need
    /// be); then creates `plans/` at the root if missing. Touches nothing else.
    pub fn init(dir: &Path) -> Result<(Store, Initialised)> {
        let existing = if dir.is_dir() {
            match open_repo(dir, true) {
                Ok(repo) => Some(repo),
                Err(e) if e.code() == ErrorCode::NotFound => None,
                Err(e) => return Err(no_repository(dir)(e)),
            }
        } else {
            None
        };
        let created_repository = existing.is_none();
        let repo = match existing {
            Some(repo) => repo,
            None => {
                let mut opts = git2::RepositoryInitOptions::new();
                opts.initial_head("main").mkpath(true);
                git2::Repository::init_opts(dir, &opts).map_err(git(format!(
                    "cannot create a git repository in {}",
                    dir.display()
                )))?;
                // Reopen so that configuration follows git's environment.
                open_repo(dir, false).map_err(no_repository(dir))?
            }
        };
        let store = Store::from_repo(repo, dir)?;
        let plans = store.workdir.join("plans");
        let created_plans = if plans.is_dir() {
            false
        } else if plans.exists() {
            return Err(Error::refused(
                format!("{} exists and is not a folder", plans.display()),
                "plans live in the folder `plans/` at the root of the repository; rename that file",
            ));
        } else {
            std::fs::create_dir(&plans).map_err(|source| Error::WriteFile {
                path: plans.clone(),
                source,
            })?;
            true
        };
        let done = Initialised {
            workdir: store.workdir.clone(),
            created_repository,
            created_plans,
        };
        Ok((store, done))
    }

    /// Finds the repository at or above `start` (git discovery).
    pub fn discover(start: &Path) -> Result<Store> {
        let repo = open_repo(start, true).map_err(no_repository(start))?;
        Store::from_repo(repo, start)
    }

    /// Opens the repository at exactly `dir` (the `--repo` option).
    pub fn open(dir: &Path) -> Result<Store> {
        let repo = open_repo(dir, false).map_err(no_repository(dir))?;
        Store::from_repo(repo, dir)
    }

    fn from_repo(repo: git2::Repository, start: &Path) -> Result<Store> {
        // Objects are read by the thousand for a long history; git itself
        // does not re-hash every object it reads either (fsck does).
        git2::opts::strict_hash_verification(false);
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

    /// Registers `exe` (the `treaty` executable) as git's diff driver for
    /// plans, so that `git diff`, `git show` and `git log -p` show points
    /// rather than TOML lines: appends the [`DIFF_ATTRIBUTES`] lines to the
    /// working tree's `.gitattributes` if missing (keeping every other line;
    /// written atomically), and sets in the repository's own configuration
    ///
    /// - `diff.treaty.command`: `'<exe>' git-diff-driver`, the external diff
    ///   `git diff` runs (`git show` and `git log` only with `--ext-diff`);
    /// - `diff.treaty.textconv`: `'<exe>' git-textconv`, the point-per-block
    ///   view whose line diff `git show` and `git log -p` print;
    /// - `diff.treaty.xfuncname`: so hunk headers name the point.
    ///
    /// Running it again changes nothing.
    pub fn setup_git_diff(&self, exe: &Path) -> Result<GitDiffSetup> {
        let exe = exe.to_str().ok_or_else(|| {
            Error::refused(
                format!(
                    "the path of the treaty executable is not UTF-8: {}",
                    exe.display()
                ),
                "install treaty under a path git can name in its configuration",
            )
        })?;
        let attributes = self.workdir.join(".gitattributes");
        let existing = match std::fs::read(&attributes) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                Error::refused(
                    format!("{} is not UTF-8 text", attributes.display()),
                    "fix the file, or add the line `plans/*.toml diff=treaty` yourself",
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(Error::ReadFile {
                    path: attributes,
                    source,
                })
            }
        };
        let present = |wanted: &str| {
            let mut want = wanted.split_whitespace();
            let (pattern, attr) = (want.next(), want.next());
            existing.lines().any(|line| {
                let mut words = line.split_whitespace();
                words.next() == pattern && words.any(|w| Some(w) == attr)
            })
        };
        let added: Vec<String> = DIFF_ATTRIBUTES
            .iter()
            .filter(|line| !present(line))
            .map(|line| (*line).to_string())
            .collect();
        if !added.is_empty() {
            let mut text = existing.clone();
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            if !existing.contains("treaty") {
                text.push_str(
                    "# Plans are diffed point by point by treaty (`treaty git-setup`).\n",
                );
            }
            for line in &added {
                text.push_str(line);
                text.push('\n');
            }
            write_atomically(&attributes, text.as_bytes())?;
        }

        let config_err = git("cannot update the repository's configuration");
        let config = self
            .repo
            .config()
            .map_err(git("cannot read the repository's configuration"))?;
        let mut local = config
            .open_level(git2::ConfigLevel::Local)
            .map_err(config_err)?;
        let exe = shell_quote(exe);
        let wanted = [
            (
                format!("diff.{DIFF_DRIVER}.command"),
                format!("{exe} git-diff-driver"),
            ),
            (
                format!("diff.{DIFF_DRIVER}.textconv"),
                format!("{exe} git-textconv"),
            ),
            (
                format!("diff.{DIFF_DRIVER}.xfuncname"),
                "^(=== .*)$".to_string(),
            ),
        ];
        let mut changed = Vec::new();
        for (key, value) in wanted {
            if local.get_string(&key).ok().as_deref() == Some(value.as_str()) {
                continue;
            }
            local.set_str(&key, &value).map_err(git(format!(
                "cannot set {key} in the repository's configuration"
            )))?;
            changed.push(key);
        }
        Ok(GitDiffSetup {
            attributes,
            attributes_added: added,
            config_changed: changed,
        })
    }

    /// The root of the working tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// `plans/<name>.toml`, checked to stay inside the repository: a plan file
    /// (or `plans/`) that is a link pointing out of the working tree is
    /// refused, so that no command reads or writes outside it.
    pub fn plan_file(&self, name: &str) -> Result<PathBuf> {
        let path = self.plan_path(name);
        let resolved = match path.canonicalize() {
            Ok(p) => p,
            // Not there (yet): the folder it would be created in must be inside.
            Err(_) => match path.parent().and_then(|d| d.canonicalize().ok()) {
                Some(dir) => dir,
                None => return Ok(path),
            },
        };
        let root = self
            .workdir
            .canonicalize()
            .unwrap_or_else(|_| self.workdir.clone());
        if resolved.starts_with(&root) {
            Ok(path)
        } else {
            Err(Error::refused(
                format!("plans/{name}.toml leads out of the repository (to {})", resolved.display()),
                "a plan file must be a file inside the repository's plans/ folder, not a link to elsewhere; copy the draft in, or use `treaty commit --file`",
            ))
        }
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

    /// The names of the plans: files `plans/<name>.toml` in the working tree
    /// or in HEAD's tree, sorted.
    pub fn plans(&self) -> Result<Vec<String>> {
        let mut names = BTreeSet::new();
        let dir = self.workdir.join("plans");
        match std::fs::read_dir(&dir) {
            Ok(entries) => {
                for entry in entries {
                    let entry = entry.map_err(|source| Error::ReadFile {
                        path: dir.clone(),
                        source,
                    })?;
                    if let Some(name) = entry
                        .file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".toml"))
                    {
                        if is_valid_plan_name(name) && entry.path().is_file() {
                            names.insert(name.to_string());
                        }
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(Error::ReadFile { path: dir, source }),
        }
        if let Some(head) = self.head_commit()? {
            let tree = head.tree().map_err(git("cannot read HEAD's tree"))?;
            let plans_id = tree
                .get_name("plans")
                .filter(|entry| entry.kind() == Some(ObjectType::Tree))
                .map(|entry| entry.id());
            if let Some(plans_id) = plans_id {
                let plans = self
                    .repo
                    .find_tree(plans_id)
                    .map_err(git("cannot read plans/ in HEAD"))?;
                for e in plans.iter() {
                    if let Some(name) = e.name().ok().and_then(|n| n.strip_suffix(".toml")) {
                        if is_valid_plan_name(name) && e.kind() == Some(ObjectType::Blob) {
                            names.insert(name.to_string());
                        }
                    }
                }
            }
        }
        Ok(names.into_iter().collect())
    }

    /// The revisions of plan `name`, oldest first (`r1` first). Labels come
    /// from `Treaty-Label` trailers and `<name>/<label>` tags; a revision
    /// labelled only inside its draft gets its label when it is loaded.
    pub fn history(&self, name: &str) -> Result<Vec<RevInfo>> {
        check_plan_name(name)?;
        Ok(self.revisions(name)?.into_iter().map(|r| r.info).collect())
    }

    /// The revisions of plan `name`, oldest first, each with the id (hex) of
    /// the blob that holds its draft: the key under which what was computed
    /// from that draft can be cached.
    pub fn history_blobs(&self, name: &str) -> Result<Vec<(RevInfo, String)>> {
        check_plan_name(name)?;
        Ok(self
            .revisions(name)?
            .into_iter()
            .map(|r| (r.info, r.blob.to_string()))
            .collect())
    }

    /// Reads the draft of revision `info` of plan `name` from its blob (as
    /// [`Store::history_blobs`] names it).
    pub fn load_blob(&self, name: &str, info: &RevInfo, blob: &str) -> Result<Plan> {
        let oid = Oid::from_str(blob).map_err(|_| Error::Internal {
            message: format!("malformed blob id '{blob}'"),
        })?;
        self.parse_blob(oid, &format!("{}@{}", plan_rel(name), info.rev))
    }

    /// Where treaty keeps its cache: `treaty/cache` in the repository's
    /// common git folder, never in the working tree.
    pub fn cache_dir(&self) -> PathBuf {
        self.repo.commondir().join("treaty").join("cache")
    }

    /// Reads the draft of a revision: from the object database for a commit,
    /// from the working tree for `working`, else from the file the revision
    /// names. Errors name the file as `plans/<name>.toml@r3`.
    pub fn load(&self, name: &str, info: &RevInfo) -> Result<Plan> {
        check_plan_name(name)?;
        match &info.commit {
            Some(hex) => {
                let oid = Oid::from_str(hex).map_err(|_| Error::Internal {
                    message: format!("malformed commit id '{hex}'"),
                })?;
                let commit = self
                    .repo
                    .find_commit(oid)
                    .map_err(git(format!("cannot read commit {hex}")))?;
                let tree = commit
                    .tree()
                    .map_err(git(format!("cannot read the tree of {hex}")))?;
                let Some((blob, _)) = plan_entry(&tree, name)? else {
                    return Err(Error::UnknownRevision {
                        plan: name.to_string(),
                        rev: info.rev.clone(),
                        known: format!("commit {} has no {}", short(oid), plan_rel(name)),
                    });
                };
                self.parse_blob(blob, &format!("{}@{}", plan_rel(name), info.rev))
            }
            None if info.rev == "working" => read_draft(&self.plan_file(name)?, &plan_rel(name)),
            None => read_draft(Path::new(&info.rev), &info.rev),
        }
    }

    /// Resolves a revision reference of plan `name` to the revision and its
    /// draft. The revision's label falls back to the draft's.
    pub fn resolve(&self, name: &str, rev: &RevRef) -> Result<(RevInfo, Plan)> {
        check_plan_name(name)?;
        if let RevRef::File(path) = rev {
            if path.is_file() {
                let shown = path.display().to_string();
                let plan = read_draft(path, &shown)?;
                return Ok(with_draft_label(RevInfo::file(shown), plan));
            }
        }
        let revs = self.revisions(name)?;
        if revs.is_empty() && !self.plan_path(name).is_file() {
            return Err(Error::UnknownPlan {
                name: name.to_string(),
                known: self.plans()?,
            });
        }
        match rev {
            RevRef::Working => self.working(name),
            RevRef::Latest => match revs.last() {
                Some(r) => self.loaded(name, r),
                None => Err(self.unknown_revision(name, "latest", &revs)),
            },
            RevRef::Nth(n) => match n.checked_sub(1).and_then(|i| revs.get(i)) {
                Some(r) => self.loaded(name, r),
                None => Err(self.unknown_revision(name, &format!("r{n}"), &revs)),
            },
            RevRef::Named(text) => self.resolve_named(name, text, &revs),
            RevRef::File(path) => match path.to_str() {
                Some(text) => self.resolve_named(name, text, &revs).map_err(|e| match e {
                    Error::UnknownRevision { plan, rev, known } => Error::UnknownRevision {
                        plan,
                        rev: rev.clone(),
                        known: format!("no file '{rev}' either; {known}"),
                    },
                    other => other,
                }),
                None => Err(Error::ReadFile {
                    path: path.clone(),
                    source: std::io::ErrorKind::NotFound.into(),
                }),
            },
        }
    }

    /// The draft a plan stands at now: `working` if the file on disk differs
    /// from the latest revision (or nothing is committed yet), else the latest
    /// revision itself.
    pub fn resolve_current(&self, name: &str) -> Result<(RevInfo, Plan)> {
        check_plan_name(name)?;
        let revs = self.revisions(name)?;
        let path = self.plan_file(name)?;
        match (revs.last(), std::fs::read(&path)) {
            (Some(latest), Ok(bytes)) => {
                if Oid::hash_object(ObjectType::Blob, &bytes).ok() == Some(latest.blob) {
                    self.loaded(name, latest)
                } else {
                    self.working(name)
                }
            }
            (Some(latest), Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                self.loaded(name, latest)
            }
            (None, Err(e)) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::UnknownPlan {
                name: name.to_string(),
                known: self.plans()?,
            }),
            (_, Err(source)) => Err(Error::ReadFile { path, source }),
            (None, Ok(_)) => self.working(name),
        }
    }

    /// Records the plan's draft as a new revision on the current branch and
    /// returns it. See the module documentation for the guarantees.
    pub fn commit(&self, name: &str, request: &CommitRequest) -> Result<RevInfo> {
        self.commit_with(name, request, &mut |_, _| {})
    }

    // ---- reading -------------------------------------------------------

    fn head_commit(&self) -> Result<Option<git2::Commit<'_>>> {
        match self.repo.head() {
            Ok(head) => head
                .peel_to_commit()
                .map(Some)
                .map_err(git("cannot read the commit HEAD points at")),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(git("cannot read HEAD")(e)),
        }
    }

    /// Tags `<name>/<label>`, by the commit they point at.
    fn label_tags(&self, name: &str) -> Result<HashMap<Oid, Vec<String>>> {
        let prefix = format!("refs/tags/{name}/");
        let mut out: HashMap<Oid, Vec<String>> = HashMap::new();
        let refs = self
            .repo
            .references_glob(&format!("{prefix}*"))
            .map_err(git("cannot list tags"))?;
        for r in refs {
            let r = r.map_err(git("cannot list tags"))?;
            let Some(label) = r.name().ok().and_then(|n| n.strip_prefix(&prefix)) else {
                continue;
            };
            if label.contains('/') {
                continue;
            }
            let label = label.to_string();
            match r.peel_to_commit() {
                Ok(c) => out.entry(c.id()).or_default().push(label),
                // A tag of this shape that names no commit is not a revision.
                Err(e) if matches!(e.code(), ErrorCode::Peel | ErrorCode::InvalidSpec) => {}
                Err(e) => return Err(git(format!("cannot read tag {name}/{label}"))(e)),
            }
        }
        for labels in out.values_mut() {
            labels.sort();
        }
        Ok(out)
    }

    /// The plan's revisions, oldest first: a first-parent walk from HEAD
    /// keeping the commits whose plan file differs from their first parent's.
    fn revisions(&self, name: &str) -> Result<Vec<Revision>> {
        let Some(head) = self.head_commit()? else {
            return Ok(Vec::new());
        };
        let mut found: Vec<(git2::Commit<'_>, Oid)> = Vec::new();
        let mut current = Some(head);
        let mut current_blob = match &current {
            Some(c) => commit_plan_blob(c, name)?,
            None => None,
        };
        while let Some(commit) = current {
            let parent = if commit.parent_count() > 0 {
                Some(commit.parent(0).map_err(git(format!(
                    "cannot read the parent of commit {}",
                    short(commit.id())
                )))?)
            } else {
                None
            };
            let parent_blob = match &parent {
                Some(p) => commit_plan_blob(p, name)?,
                None => None,
            };
            if let Some(blob) = current_blob {
                if parent_blob != Some(blob) {
                    found.push((commit, blob));
                }
            }
            current = parent;
            current_blob = parent_blob;
        }
        found.reverse();
        let tags = self.label_tags(name)?;
        Ok(found
            .into_iter()
            .enumerate()
            .map(|(i, (commit, blob))| Revision {
                info: commit_info(&commit, format!("r{}", i + 1), name, &tags),
                commit: commit.id(),
                blob,
            })
            .collect())
    }

    fn parse_blob(&self, blob: Oid, shown: &str) -> Result<Plan> {
        let blob = self
            .repo
            .find_blob(blob)
            .map_err(git(format!("cannot read {shown}")))?;
        Plan::parse_bytes(blob.content(), shown)
    }

    fn loaded(&self, name: &str, r: &Revision) -> Result<(RevInfo, Plan)> {
        let plan = self.parse_blob(r.blob, &format!("{}@{}", plan_rel(name), r.info.rev))?;
        Ok(with_draft_label(r.info.clone(), plan))
    }

    fn working(&self, name: &str) -> Result<(RevInfo, Plan)> {
        let plan = read_draft(&self.plan_file(name)?, &plan_rel(name))?;
        Ok(with_draft_label(RevInfo::file("working"), plan))
    }

    /// A label (tag, trailer, then the draft's own), else any git revision.
    fn resolve_named(&self, name: &str, text: &str, revs: &[Revision]) -> Result<(RevInfo, Plan)> {
        if is_valid_label(text) {
            match self
                .repo
                .find_reference(&format!("refs/tags/{name}/{text}"))
            {
                Ok(r) => {
                    let commit = r
                        .peel_to_commit()
                        .map_err(git(format!("cannot read tag {name}/{text}")))?;
                    return self.at_commit(name, text, &commit, revs);
                }
                Err(e) if matches!(e.code(), ErrorCode::NotFound | ErrorCode::InvalidSpec) => {}
                Err(e) => return Err(git(format!("cannot read tag {name}/{text}"))(e)),
            }
            if let Some(r) = revs
                .iter()
                .rev()
                .find(|r| r.info.label.as_deref() == Some(text))
            {
                return self.loaded(name, r);
            }
            for r in revs.iter().rev() {
                if let Ok((info, plan)) = self.loaded(name, r) {
                    if plan.draft.label.as_deref() == Some(text) {
                        return Ok((info, plan));
                    }
                }
            }
        }
        match self.repo.revparse_single(text) {
            Ok(object) => match object.peel_to_commit() {
                Ok(commit) => self.at_commit(name, text, &commit, revs),
                Err(_) => Err(Error::UnknownRevision {
                    plan: name.to_string(),
                    rev: text.to_string(),
                    known: format!(
                        "it names a {}, not a commit",
                        object.kind().map_or("git object", |k| k.str())
                    ),
                }),
            },
            Err(_) => Err(self.unknown_revision(name, text, revs)),
        }
    }

    /// The revision a commit stands for: one of the plan's revisions if the
    /// commit is one, or holds the same text as the revision it descends from
    /// on the first-parent chain; else the commit itself, named as asked.
    fn at_commit(
        &self,
        name: &str,
        asked: &str,
        commit: &git2::Commit<'_>,
        revs: &[Revision],
    ) -> Result<(RevInfo, Plan)> {
        if let Some(r) = revs.iter().find(|r| r.commit == commit.id()) {
            return self.loaded(name, r);
        }
        let Some(blob) = commit_plan_blob(commit, name)? else {
            return Err(Error::UnknownRevision {
                plan: name.to_string(),
                rev: asked.to_string(),
                known: format!("commit {} has no {}", short(commit.id()), plan_rel(name)),
            });
        };
        let index: HashMap<Oid, usize> = revs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.commit, i))
            .collect();
        let mut c = commit.clone();
        loop {
            if let Some(&i) = index.get(&c.id()) {
                if revs[i].blob == blob {
                    return self.loaded(name, &revs[i]);
                }
                break;
            }
            if c.parent_count() == 0 {
                break;
            }
            c = c
                .parent(0)
                .map_err(git(format!("cannot read the parent of {}", short(c.id()))))?;
        }
        let info = commit_info(commit, asked.to_string(), name, &self.label_tags(name)?);
        let plan = self.parse_blob(blob, &format!("{}@{asked}", plan_rel(name)))?;
        Ok(with_draft_label(info, plan))
    }

    /// `plan 'ukraine' has r1…r4; labels: us-28, e3, geneva, framework-20`.
    fn unknown_revision(&self, name: &str, asked: &str, revs: &[Revision]) -> Error {
        let known = if revs.is_empty() {
            format!("plan '{name}' has no revisions yet (record one with `treaty commit {name}`)")
        } else {
            let range = if revs.len() == 1 {
                "r1".to_string()
            } else {
                format!("r1…r{}", revs.len())
            };
            let mut labels: Vec<String> = Vec::new();
            for r in revs {
                // Only a hint: a revision whose draft cannot be read has no label.
                let label = r
                    .info
                    .label
                    .clone()
                    .or_else(|| self.parse_blob(r.blob, "").ok().and_then(|p| p.draft.label));
                if let Some(label) = label {
                    if !labels.contains(&label) {
                        labels.push(label);
                    }
                }
            }
            if labels.is_empty() {
                format!("plan '{name}' has {range}; no labels")
            } else {
                format!("plan '{name}' has {range}; labels: {}", labels.join(", "))
            }
        };
        Error::UnknownRevision {
            plan: name.to_string(),
            rev: asked.to_string(),
            known,
        }
    }

    // ---- recording -----------------------------------------------------

    /// The branch HEAD names and its tip (`None` on an unborn branch).
    /// Refuses a detached HEAD or a repository in the middle of a merge,
    /// rebase, cherry-pick or the like.
    fn branch_for_commit(&self) -> Result<(String, Option<Oid>)> {
        let head = self
            .repo
            .find_reference("HEAD")
            .map_err(git("cannot read HEAD"))?;
        if head.kind() != Some(git2::ReferenceType::Symbolic) {
            let at = head.target().map(short).unwrap_or_default();
            return Err(Error::refused(
                format!("HEAD is detached (at {at}): treaty records revisions on a branch, and will not commit on a detached HEAD"),
                "switch to a branch first (`git switch main`), or start one here with `git switch -c <branch>`",
            ));
        }
        let Ok(Some(branch)) = head.symbolic_target().map(|t| t.map(str::to_string)) else {
            return Err(Error::Repository {
                context: "cannot read HEAD".into(),
                message: "HEAD names a branch that is not valid UTF-8".into(),
            });
        };
        if !branch.starts_with("refs/heads/") {
            return Err(Error::refused(
                format!("HEAD points at {branch}, which is not a branch"),
                "switch to a branch first (`git switch main`)",
            ));
        }
        let state = self.repo.state();
        if state != git2::RepositoryState::Clean {
            return Err(Error::refused(
                format!("the repository is in the middle of an operation ({state:?}); treaty will not commit now"),
                "finish it (e.g. `git commit`, `git rebase --continue`) or abort it first",
            ));
        }
        let tip = self.branch_tip(&branch)?;
        Ok((branch, tip))
    }

    fn branch_tip(&self, branch: &str) -> Result<Option<Oid>> {
        match self.repo.refname_to_id(branch) {
            Ok(oid) => Ok(Some(oid)),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git(format!("cannot read {branch}"))(e)),
        }
    }

    /// [`Store::commit`], with a hook called after each commit object is
    /// written and before the branch is moved (tests use it to move the
    /// branch underneath).
    fn commit_with(
        &self,
        name: &str,
        request: &CommitRequest,
        before_update: &mut dyn FnMut(&git2::Repository, u32),
    ) -> Result<RevInfo> {
        // Validate everything before writing anything.
        check_plan_name(name)?;
        if let Some(label) = &request.label {
            if !is_valid_label(label) {
                return Err(Error::refused(
                    format!("malformed label '{}'", crate::error::printable(label)),
                    "a label is lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. \"geneva\" or \"us-28\"",
                ));
            }
        }
        if let Some(author) = &request.author {
            ident::parse_author(author)?;
        }
        if request
            .message
            .as_deref()
            .is_some_and(|m| m.trim().is_empty())
        {
            return Err(Error::refused(
                "the commit message is empty",
                "give a message with -m, or leave -m out to have one generated",
            ));
        }
        let plan_file = self.plan_file(name)?;

        // 1. read
        let (bytes, shown) = match &request.file {
            Some(received) => (received.bytes.clone(), received.name.clone()),
            None => match std::fs::read(&plan_file) {
                Ok(bytes) => (bytes, plan_rel(name)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(Error::UnknownPlan {
                        name: name.to_string(),
                        known: self.plans()?,
                    })
                }
                Err(source) => {
                    return Err(Error::ReadFile {
                        path: plan_file,
                        source,
                    })
                }
            },
        };

        // 2. validate
        let draft = Plan::parse_bytes(&bytes, &shown)?;

        // Everything from here on depends on the branch's tip, so it is read
        // under `index.lock`: concurrent treaty commits take turns, and each
        // pins ids, numbers its revision and checks its label against the
        // revision it will really follow (the branch is still moved with a
        // compare-and-swap, against writers that do not take the lock).
        let index_path = self
            .repo
            .index()
            .map_err(git("cannot read the index"))?
            .path()
            .map(Path::to_path_buf)
            .ok_or_else(|| Error::Internal {
                message: "the repository's index has no file".into(),
            })?;
        let index_lock = IndexLock::acquire(index_path)?;
        let (branch, tip) = self.branch_for_commit()?;
        let previous = match tip {
            Some(oid) => self.plan_blob_at(oid, name)?,
            None => None,
        };
        let previous_plan =
            previous.and_then(|(blob, _)| self.parse_blob(blob, "").ok().map(|plan| (blob, plan)));

        // 3. transform: identity pinning may rewrite the draft.
        let pinned = changes::pin_ids(
            previous_plan.as_ref().map(|(_, plan)| plan),
            &draft,
            bytes.clone(),
            &shown,
        )?;
        let (bytes, draft) = if pinned == bytes {
            (bytes, draft)
        } else {
            let draft = Plan::parse_bytes(&pinned, &shown)?;
            (pinned, draft)
        };

        let revs = self.revisions(name)?;
        let blob_id =
            Oid::hash_object(ObjectType::Blob, &bytes).map_err(git("cannot hash the draft"))?;
        if let Some((_, mode)) = previous.filter(|(b, _)| *b == blob_id) {
            self.finish_interrupted(&index_lock, name, blob_id, mode, &bytes, &plan_file)?;
            return Err(unchanged(name, revs.last()));
        }
        let label = request.label.clone().or_else(|| draft.draft.label.clone());
        if let Some(label) = &label {
            self.check_label_free(name, label, &revs)?;
        }
        let config = self
            .repo
            .config()
            .map_err(git("cannot read the git configuration"))?;
        let (author, committer) = ident::signatures(&config, request.author.as_deref())?;

        // Writes start here; each step undoes its predecessors if it fails.
        let working = WorkingFile::replace(&plan_file, &bytes)?;
        let recorded = self.record(
            &Record {
                name,
                branch: &branch,
                bytes: &bytes,
                draft: &draft,
                previous: previous_plan.as_ref().map(|(blob, plan)| (*blob, plan)),
                label: label.as_deref(),
                message: request.message.as_deref(),
                author: &author,
                committer: &committer,
                revs: &revs,
            },
            before_update,
        );
        let (commit, mode) = match recorded {
            Ok(done) => done,
            Err(e) => {
                working.restore();
                return Err(e);
            }
        };
        self.update_index(&index_lock, &plan_rel(name), blob_id, mode, &plan_file)?;
        drop(index_lock);

        let revs = self.revisions(name)?;
        let n = revs.len();
        Ok(match revs.into_iter().find(|r| r.commit == commit) {
            Some(r) => r.info,
            None => {
                let c = self
                    .repo
                    .find_commit(commit)
                    .map_err(git("cannot read the new commit"))?;
                commit_info(&c, format!("r{}", n + 1), name, &self.label_tags(name)?)
            }
        })
    }

    /// The draft is already recorded at the tip. If a commit of it was
    /// interrupted (killed) after moving the branch and before updating the
    /// index, the working file holds the draft but the plan's index entry is
    /// behind, so `git status` shows the plan as changed and a plain
    /// `git commit` would record the old entry: finish that commit's last
    /// step. Anything else is left alone.
    fn finish_interrupted(
        &self,
        lock: &IndexLock,
        name: &str,
        blob: Oid,
        mode: i32,
        bytes: &[u8],
        file: &Path,
    ) -> Result<()> {
        if std::fs::read(file).ok().as_deref() != Some(bytes) {
            return Ok(());
        }
        let rel = plan_rel(name);
        let staged = git2::Index::open(&lock.index)
            .ok()
            .and_then(|index| index.get_path(Path::new(&rel), 0).map(|e| e.id));
        if staged == Some(blob) {
            return Ok(());
        }
        let mode = if mode == 0o100_755 {
            0o100_755
        } else {
            0o100_644
        };
        self.update_index(lock, &rel, blob, mode, file)
    }

    fn plan_blob_at(&self, commit: Oid, name: &str) -> Result<Option<(Oid, i32)>> {
        let commit = self
            .repo
            .find_commit(commit)
            .map_err(git(format!("cannot read commit {}", short(commit))))?;
        let tree = commit.tree().map_err(git(format!(
            "cannot read the tree of {}",
            short(commit.id())
        )))?;
        plan_entry(&tree, name)
    }

    /// Refuses a label already used for this plan, or one that cannot become
    /// the tag `<name>/<label>`.
    fn check_label_free(&self, name: &str, label: &str, revs: &[Revision]) -> Result<()> {
        let help =
            "choose another label with --label, or change `label` under [draft] in the draft";
        let tag = format!("refs/tags/{name}/{label}");
        match self.repo.find_reference(&tag) {
            Ok(r) => {
                let at = r
                    .peel_to_commit()
                    .ok()
                    .and_then(|c| revs.iter().find(|r| r.commit == c.id()))
                    .map(|r| format!(", {}", r.info.rev))
                    .unwrap_or_default();
                return Err(Error::refused(
                    format!("label '{label}' is already used for plan '{name}' (tag {name}/{label}{at})"),
                    help,
                ));
            }
            Err(e) if e.code() == ErrorCode::NotFound => {}
            Err(e) => return Err(git(format!("cannot read tag {name}/{label}"))(e)),
        }
        if let Some(r) = revs.iter().find(|r| r.info.label.as_deref() == Some(label)) {
            return Err(Error::refused(
                format!(
                    "label '{label}' is already used for plan '{name}' ({})",
                    r.info.rev
                ),
                help,
            ));
        }
        match self.repo.find_reference(&format!("refs/tags/{name}")) {
            Ok(_) => {
                return Err(Error::refused(
                    format!("a tag named '{name}' exists, so the tag '{name}/{label}' cannot be created"),
                    format!("rename or delete the tag '{name}' (`git tag -d {name}`), or commit without a label"),
                ))
            }
            Err(e) if matches!(e.code(), ErrorCode::NotFound | ErrorCode::InvalidSpec) => {}
            Err(e) => return Err(git(format!("cannot read tag {name}"))(e)),
        }
        if !git2::Reference::is_valid_name(&tag) {
            return Err(Error::refused(
                format!("'{name}/{label}' cannot be a git tag"),
                help,
            ));
        }
        Ok(())
    }

    /// Writes the objects and moves the branch (compare-and-swap, retried if
    /// the branch moved or is locked), then tags the label. Returns the new
    /// commit and the plan file's mode.
    fn record(
        &self,
        r: &Record<'_>,
        before_update: &mut dyn FnMut(&git2::Repository, u32),
    ) -> Result<(Oid, u32)> {
        let blob = self
            .repo
            .blob(r.bytes)
            .map_err(git("cannot store the draft"))?;
        let mut last_error = None;
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(backoff(attempt));
            }
            // Read the tip afresh: another writer may have moved it while we
            // waited for the index lock.
            let tip = self.branch_tip(r.branch)?;
            let parent = match tip {
                Some(oid) => Some(
                    self.repo
                        .find_commit(oid)
                        .map_err(git(format!("cannot read {}", r.branch)))?,
                ),
                None => None,
            };
            let base = match &parent {
                Some(p) => Some(
                    p.tree()
                        .map_err(git(format!("cannot read the tree of {}", short(p.id()))))?,
                ),
                None => None,
            };
            let previous = match &base {
                Some(tree) => plan_entry(tree, r.name)?,
                None => None,
            };
            if previous.map(|(b, _)| b) == Some(blob) {
                // Someone recorded the very same draft meanwhile.
                return Err(unchanged(r.name, r.revs.last()));
            }
            // The previous draft read before pinning, unless the branch moved.
            let parsed;
            let previous_plan = match (previous, r.previous) {
                (Some((b, _)), Some((known, plan))) if b == known => Some(plan),
                (Some((b, _)), _) => {
                    parsed = self.parse_blob(b, "").ok();
                    parsed.as_ref()
                }
                (None, _) => None,
            };
            let mode: u32 = match previous {
                Some((_, 0o100_755)) => 0o100_755,
                _ => 0o100_644,
            };
            let tree = self.tree_with(base.as_ref(), r.name, blob, mode)?;
            let message = commit_message(r.name, r.message, previous_plan, r.draft, r.label);
            let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
            let commit = self
                .repo
                .commit(None, r.author, r.committer, &message, &tree, &parents)
                .map_err(git("cannot write the commit"))?;
            before_update(&self.repo, attempt);
            let subject = message.lines().next().unwrap_or_default();
            let log = match tip {
                Some(_) => format!("commit: {subject}"),
                None => format!("commit (initial): {subject}"),
            };
            let updated = match tip {
                Some(old) => self
                    .repo
                    .reference_matching(r.branch, commit, true, old, &log),
                None => self.repo.reference(r.branch, commit, false, &log),
            };
            match updated {
                Ok(_) => {
                    if let Some(label) = r.label {
                        self.tag(r, label, commit, tip)?;
                    }
                    return Ok((commit, mode));
                }
                Err(e)
                    if matches!(
                        e.code(),
                        ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked
                    ) =>
                {
                    last_error = Some(e);
                }
                Err(e) => return Err(git(format!("cannot move {}", r.branch))(e)),
            }
        }
        Err(match last_error {
            Some(e) if e.code() == ErrorCode::Locked => Error::Locked {
                what: format!("the branch {}", r.branch),
                path: self.lock_file(r.branch, &e),
            },
            _ => Error::Repository {
                context: format!("cannot record the revision of plan '{}'", r.name),
                message: format!(
                    "the branch {} kept moving while treaty was committing ({ATTEMPTS} attempts); nothing was recorded, try again",
                    r.branch
                ),
            },
        })
    }

    /// Creates the tag `<name>/<label>` on `commit`; if that fails, moves the branch back
    /// so that nothing is half-recorded.
    fn tag(&self, r: &Record<'_>, label: &str, commit: Oid, old_tip: Option<Oid>) -> Result<()> {
        // A lightweight tag: `git rev-parse <name>/<label>` is the commit.
        let tagged = self.repo.reference(
            &format!("refs/tags/{}/{label}", r.name),
            commit,
            false,
            &format!("treaty: label {label} of {}", r.name),
        );
        let Err(e) = tagged else {
            return Ok(());
        };
        let undo = match old_tip {
            Some(old) => self
                .repo
                .reference_matching(
                    r.branch,
                    old,
                    true,
                    commit,
                    &format!("treaty: undo commit, tag {}/{label} failed", r.name),
                )
                .map(|_| ()),
            None => self
                .repo
                .find_reference(r.branch)
                .and_then(|mut reference| reference.delete()),
        };
        let mut error = if e.code() == ErrorCode::Exists {
            Error::refused(
                format!(
                    "label '{label}' is already used for plan '{}' (tag {}/{label})",
                    r.name, r.name
                ),
                "choose another label with --label, or change `label` under [draft] in the draft",
            )
        } else if e.code() == ErrorCode::Locked {
            Error::Locked {
                what: format!("the tag {}/{label}", r.name),
                path: self.lock_file(&format!("refs/tags/{}/{label}", r.name), &e),
            }
        } else {
            git(format!("cannot create the tag {}/{label}", r.name))(e)
        };
        if let Err(undo) = undo {
            error = Error::Repository {
                context: format!("{error}"),
                message: format!(
                    "and the commit {} could not be taken back from {} ({}); remove it with `git reset --soft HEAD~1`",
                    short(commit),
                    r.branch,
                    undo.message()
                ),
            };
        }
        Err(error)
    }

    /// The lock file libgit2 names in `e`, else `<refname>.lock`.
    fn lock_file(&self, refname: &str, e: &git2::Error) -> PathBuf {
        let message = e.message();
        if let Some(start) = message.find('\'') {
            if let Some(len) = message[start + 1..].find('\'') {
                return PathBuf::from(&message[start + 1..start + 1 + len]);
            }
        }
        self.repo.commondir().join(format!("{refname}.lock"))
    }

    /// `base` with `plans/<name>.toml` set to `blob` and nothing else changed.
    fn tree_with(
        &self,
        base: Option<&git2::Tree<'_>>,
        name: &str,
        blob: Oid,
        mode: u32,
    ) -> Result<git2::Tree<'_>> {
        let err = || git("cannot build the commit's tree");
        let plans = match base.and_then(|t| t.get_name("plans")) {
            Some(entry) if entry.kind() == Some(ObjectType::Tree) => {
                Some(self.repo.find_tree(entry.id()).map_err(err())?)
            }
            Some(_) => {
                return Err(Error::refused(
                    "`plans` is not a folder in the last commit",
                    "plans live in the folder `plans/` at the root of the repository; rename the file `plans`",
                ))
            }
            None => None,
        };
        let mut builder = self.repo.treebuilder(plans.as_ref()).map_err(err())?;
        builder
            .insert(
                format!("{name}.toml"),
                blob,
                i32::try_from(mode).unwrap_or(0o100_644),
            )
            .map_err(err())?;
        let plans_id = builder.write().map_err(err())?;
        let mut root = self.repo.treebuilder(base).map_err(err())?;
        root.insert("plans", plans_id, 0o040_000).map_err(err())?;
        let root_id = root.write().map_err(err())?;
        self.repo.find_tree(root_id).map_err(err())
    }

    /// Points the plan's index entry at the recorded blob, with the stat data
    /// of the file on disk, and leaves every other entry as it was. The new
    /// index is written beside the old one and renamed over it while we hold
    /// `index.lock`.
    fn update_index(
        &self,
        lock: &IndexLock,
        rel: &str,
        blob: Oid,
        mode: u32,
        file: &Path,
    ) -> Result<()> {
        let fail = |what: &str| {
            let what = what.to_string();
            move |message: String| Error::Repository {
                context: format!(
                    "the revision is recorded, but the index could not be updated ({what})"
                ),
                message: format!("{message}; run `git reset -q -- {rel}` to bring {rel} in line"),
            }
        };
        let dir = lock.index.parent().unwrap_or(Path::new("."));
        let tmp_dir = tempfile::Builder::new()
            .prefix(".treaty-index")
            .tempdir_in(dir)
            .map_err(|e| fail("temporary folder")(e.to_string()))?;
        let tmp = tmp_dir.path().join("index");
        if lock.index.exists() {
            std::fs::copy(&lock.index, &tmp).map_err(|e| fail("copy")(e.to_string()))?;
        }
        let mut index =
            git2::Index::open(&tmp).map_err(|e| fail("read")(e.message().to_string()))?;
        index
            .add(&index_entry(rel, blob, mode, file))
            .map_err(|e| fail("add")(e.message().to_string()))?;
        index
            .write()
            .map_err(|e| fail("write")(e.message().to_string()))?;
        std::fs::rename(&tmp, &lock.index).map_err(|e| fail("rename")(e.to_string()))?;
        Ok(())
    }
}

/// What one commit records.
struct Record<'a> {
    name: &'a str,
    branch: &'a str,
    bytes: &'a [u8],
    draft: &'a Plan,
    /// The previous revision's draft as read before pinning, with its blob.
    previous: Option<(Oid, &'a Plan)>,
    label: Option<&'a str>,
    message: Option<&'a str>,
    author: &'a git2::Signature<'static>,
    committer: &'a git2::Signature<'static>,
    revs: &'a [Revision],
}

/// The refusal of a draft identical to the latest revision.
fn unchanged(name: &str, latest: Option<&Revision>) -> Error {
    let since = latest.map_or_else(
        || "the last commit".to_string(),
        |r| format!("{} ({})", r.info.rev, short(r.commit)),
    );
    Error::refused(
        format!(
            "{} is unchanged since {since}: nothing to record",
            plan_rel(name)
        ),
        "edit the draft (or pass --file with the new text) and commit again",
    )
}

/// The commit message: MSG or a generated summary, then the trailers.
fn commit_message(
    name: &str,
    given: Option<&str>,
    previous: Option<&Plan>,
    draft: &Plan,
    label: Option<&str>,
) -> String {
    let mut message = match given {
        Some(m) => m.trim_end().to_string(),
        None => match previous {
            Some(previous) => format!("{name}: {}", changes::summarize(previous, draft).describe()),
            None => {
                let n = draft.points.len();
                format!(
                    "{name}: first draft, {n} {}",
                    if n == 1 { "point" } else { "points" }
                )
            }
        },
    };
    message.push_str(&format!("\n\nTreaty-Plan: {name}\n"));
    if let Some(label) = label {
        message.push_str(&format!("Treaty-Label: {label}\n"));
    }
    message
}

/// The plan file's blob and mode in `tree`, if it has one.
fn plan_entry(tree: &git2::Tree<'_>, name: &str) -> Result<Option<(Oid, i32)>> {
    match tree.get_path(Path::new(&plan_rel(name))) {
        Ok(e) if e.kind() == Some(ObjectType::Blob) => Ok(Some((e.id(), e.filemode()))),
        Ok(_) => Ok(None),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(git(format!("cannot read {}", plan_rel(name)))(e)),
    }
}

fn commit_plan_blob(commit: &git2::Commit<'_>, name: &str) -> Result<Option<Oid>> {
    let tree = commit.tree().map_err(git(format!(
        "cannot read the tree of {}",
        short(commit.id())
    )))?;
    Ok(plan_entry(&tree, name)?.map(|(b, _)| b))
}

/// What we know of a commit as a revision of plan `name`.
fn commit_info(
    commit: &git2::Commit<'_>,
    rev: String,
    name: &str,
    tags: &HashMap<Oid, Vec<String>>,
) -> RevInfo {
    let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
    let mut plan_trailer = None;
    let mut label_trailer = None;
    if let Ok(trailers) = git2::message_trailers_strs(&message) {
        for (key, value) in trailers.iter() {
            match key {
                "Treaty-Plan" => plan_trailer = Some(value.trim().to_string()),
                "Treaty-Label" => label_trailer = Some(value.trim().to_string()),
                _ => {}
            }
        }
    }
    let label = label_trailer
        .filter(|_| plan_trailer.as_deref().is_none_or(|p| p == name))
        .or_else(|| tags.get(&commit.id()).and_then(|l| l.first().cloned()));
    let author = commit.author();
    RevInfo {
        rev,
        commit: Some(commit.id().to_string()),
        label,
        date: Some(ident::format_date(author.when())),
        author: Some(format!(
            "{} <{}>",
            String::from_utf8_lossy(author.name_bytes()),
            String::from_utf8_lossy(author.email_bytes())
        )),
        message: Some(message.lines().next().unwrap_or_default().to_string()),
    }
}

fn with_draft_label(mut info: RevInfo, plan: Plan) -> (RevInfo, Plan) {
    if info.label.is_none() {
        info.label.clone_from(&plan.draft.label);
    }
    if info.commit.is_none() && info.date.is_none() {
        info.date.clone_from(&plan.draft.date);
    }
    (info, plan)
}

/// Reads and validates a draft file, naming it `shown` in errors.
fn read_draft(path: &Path, shown: &str) -> Result<Plan> {
    let bytes = std::fs::read(path).map_err(|source| Error::ReadFile {
        path: path.to_path_buf(),
        source,
    })?;
    Plan::parse_bytes(&bytes, shown)
}

fn short(oid: Oid) -> String {
    let mut s = oid.to_string();
    s.truncate(7);
    s
}

/// An index entry for the plan file. Stat data come from the file on disk
/// when it holds exactly the recorded text, so `git status` sees it clean
/// without rereading it; otherwise they are left empty, and git compares
/// contents.
fn index_entry(rel: &str, blob: Oid, mode: u32, file: &Path) -> git2::IndexEntry {
    let mut entry = git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: blob,
        flags: 0,
        flags_extended: 0,
        path: rel.as_bytes().to_vec(),
    };
    // Stat first, then hash: if the file changes in between, the hash says so.
    let Ok(meta) = std::fs::metadata(file) else {
        return entry;
    };
    let same = std::fs::read(file)
        .ok()
        .and_then(|bytes| Oid::hash_object(ObjectType::Blob, &bytes).ok())
        == Some(blob);
    if same {
        fill_stat(&mut entry, &meta);
    }
    entry
}

// git keeps 32-bit stat fields and truncates wider values the same way.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
#[cfg(unix)]
fn fill_stat(entry: &mut git2::IndexEntry, meta: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    entry.ctime = git2::IndexTime::new(meta.ctime() as i32, meta.ctime_nsec() as u32);
    entry.mtime = git2::IndexTime::new(meta.mtime() as i32, meta.mtime_nsec() as u32);
    entry.dev = meta.dev() as u32;
    entry.ino = meta.ino() as u32;
    entry.uid = meta.uid();
    entry.gid = meta.gid();
    entry.file_size = meta.size() as u32;
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
#[cfg(not(unix))]
fn fill_stat(entry: &mut git2::IndexEntry, meta: &std::fs::Metadata) {
    if let Ok(d) = meta
        .modified()
        .map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default())
    {
        entry.mtime = git2::IndexTime::new(d.as_secs() as i32, d.subsec_nanos());
    }
    entry.file_size = meta.len() as u32;
}

/// `index.lock`, held while a commit runs so that no other git process
/// rewrites the index underneath; removed when dropped.
struct IndexLock {
    index: PathBuf,
    lock: PathBuf,
}

impl IndexLock {
    fn acquire(index: PathBuf) -> Result<IndexLock> {
        let mut lock = index.clone().into_os_string();
        lock.push(".lock");
        let lock = PathBuf::from(lock);
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(backoff(attempt));
            }
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock)
            {
                Ok(_) => return Ok(IndexLock { index, lock }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(Error::WriteFile { path: lock, source }),
            }
        }
        Err(Error::Locked {
            what: "the index".into(),
            path: lock,
        })
    }
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.lock);
    }
}

/// The plan file as it was before a commit rewrote it, to put back if the
/// commit fails.
struct WorkingFile {
    path: PathBuf,
    /// `None`: untouched. `Some(None)`: did not exist. `Some(Some(b))`: held `b`.
    previous: Option<Option<Vec<u8>>>,
    created_dir: bool,
}

impl WorkingFile {
    /// Writes `bytes` to `path` atomically, unless it already holds them.
    fn replace(path: &Path, bytes: &[u8]) -> Result<WorkingFile> {
        let old = match std::fs::read(path) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(Error::ReadFile {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        if old.as_deref() == Some(bytes) {
            return Ok(WorkingFile {
                path: path.to_path_buf(),
                previous: None,
                created_dir: false,
            });
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        let created_dir = !dir.exists();
        if created_dir {
            std::fs::create_dir_all(dir).map_err(|source| Error::WriteFile {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        write_atomically(path, bytes)?;
        Ok(WorkingFile {
            path: path.to_path_buf(),
            previous: Some(old),
            created_dir,
        })
    }

    /// Puts the previous content back (best effort: this runs on a failure
    /// path, and the commit's own error is the one to report).
    fn restore(self) {
        match self.previous {
            None => {}
            Some(Some(old)) => {
                let _ = write_atomically(&self.path, &old);
            }
            Some(None) => {
                let _ = std::fs::remove_file(&self.path);
                if self.created_dir {
                    if let Some(dir) = self.path.parent() {
                        let _ = std::fs::remove_dir(dir);
                    }
                }
            }
        }
    }
}

/// Writes a file through a temporary file in the same folder and a rename,
/// keeping the old file's permissions.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |source| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".treaty-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(p) = permissions {
        tmp.as_file().set_permissions(p).map_err(err)?;
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests;
