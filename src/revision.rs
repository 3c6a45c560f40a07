//! The data set as it was at a git revision, for `crosscheck diff REV`.
//!
//! Every file under the data set's paths at the commit REV names is copied out of git into a
//! temporary folder that mirrors the repository (`git ls-tree` lists them, `git cat-file
//! --batch` reads them), and the copy is loaded like any data set. Paths in what the copy loads
//! are then renamed to read like the working tree's, so a finding at REV and the same finding
//! now name the same file.
//!
//! REV comes from a command line, often a pull request's: it is refused when it starts with
//! `-` (git would read an option), checked to name a commit before anything else runs, and
//! only the commit's full hash is passed on. git runs without a shell, one argument each.
//! Symbolic links and submodules at REV are skipped, and every path is checked to stay inside
//! the temporary folder.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use crate::diag::Diagnostic;
use crate::load::text::display_path;
use crate::load::{self, LoadFailure};
use crate::model::Dataset;
use crate::source_map::{SourceFile, SourceMap};

/// Why the data set at a revision could not be copied out of git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionError {
    /// The revision is empty.
    Empty,
    /// The revision starts with `-`: git would read it as an option.
    LooksLikeOption(String),
    /// `git` could not be run.
    GitMissing(String),
    /// A path does not exist in the working tree.
    MissingPath(PathBuf),
    /// A path is not inside a git working tree; `git` says why.
    NotARepository { path: PathBuf, git: String },
    /// Two paths belong to different repositories.
    OtherRepository { path: PathBuf, first: PathBuf },
    /// The revision names no commit.
    UnknownRevision(String),
    /// A git command failed.
    Git { command: String, message: String },
    /// The copy could not be written.
    Io { path: PathBuf, message: String },
}

impl RevisionError {
    /// The error as a diagnostic: what went wrong and what to do.
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            RevisionError::Empty => Diagnostic::error("the revision is empty")
                .with_help("name a commit, branch or tag, for example `crosscheck diff origin/main`"),
            RevisionError::LooksLikeOption(rev) => Diagnostic::error(format!(
                "the revision {rev:?} starts with `-`, so git would read it as an option"
            ))
            .with_note("crosscheck refuses it and does not run git with it")
            .with_help("name a commit, branch or tag, for example `crosscheck diff origin/main`"),
            RevisionError::GitMissing(why) => Diagnostic::error(format!("cannot run git: {why}"))
                .with_help("`crosscheck diff` reads the data set at a revision with git: install git or put it on PATH"),
            RevisionError::MissingPath(path) => {
                Diagnostic::error(format!("cannot read {}: no such file or folder", path.display()))
                    .with_help("name the folder that holds the claim files, for example `crosscheck diff origin/main examples/afghanistan`")
            }
            RevisionError::NotARepository { path, git } => {
                let shown = if path.as_os_str().is_empty() { Path::new(".") } else { path };
                Diagnostic::error(format!("{} is not in a git working tree", shown.display()))
                    .with_note(format!("git says: {git}"))
                    .with_help("`crosscheck diff` compares with a git revision: run it inside a clone of the data set's repository, or use `crosscheck check`")
            }
            RevisionError::OtherRepository { path, first } => Diagnostic::error(format!(
                "{} and {} are in different git repositories",
                first.display(),
                path.display()
            ))
            .with_help("compare one repository at a time"),
            RevisionError::UnknownRevision(rev) => {
                Diagnostic::error(format!("unknown revision {rev:?}: it names no commit in this repository"))
                    .with_note("a shallow clone lacks most history: in GitHub Actions, check out with `fetch-depth: 0`")
                    .with_help("name a commit, branch or tag that exists here (`git log --oneline` lists commits); fetch remote branches first")
            }
            RevisionError::Git { command, message } => {
                Diagnostic::error(format!("`{command}` failed: {message}"))
            }
            RevisionError::Io { path, message } => {
                Diagnostic::error(format!("cannot write {}: {message}", path.display()))
            }
        }
    }
}

impl std::fmt::Display for RevisionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_diagnostic().message)
    }
}

impl std::error::Error for RevisionError {}

/// The data set's files at a commit, copied into a temporary folder (removed when dropped).
#[derive(Debug)]
pub struct Snapshot {
    /// The full hash of the commit the revision names.
    pub commit: String,
    /// The files copied (symbolic links and submodules are not).
    pub files: usize,
    /// Whether any `*.toml` file was among them: without one, the data set did not exist yet.
    pub has_data: bool,
    dir: tempfile::TempDir,
    /// Each data set path that exists at the commit: (its copy, the path as the user named it).
    paths: Vec<(PathBuf, PathBuf)>,
}

/// Refuses a revision that git could take for an option, before any git command runs.
pub fn check_revision_text(rev: &str) -> Result<(), RevisionError> {
    if rev.is_empty() {
        return Err(RevisionError::Empty);
    }
    if rev.starts_with('-') {
        return Err(RevisionError::LooksLikeOption(rev.to_string()));
    }
    Ok(())
}

/// Copies the files under `paths` (`.` when empty) as they were at revision `rev` of the git
/// repository that holds them.
pub fn snapshot(rev: &str, paths: &[PathBuf]) -> Result<Snapshot, RevisionError> {
    check_revision_text(rev)?;
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };

    // Where each path is in its repository.
    let mut top: Option<(PathBuf, PathBuf)> = None; // (repository top, first path)
    let mut located: Vec<(String, PathBuf, bool)> = Vec::new(); // (path in repo, user path, is dir)
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|_| RevisionError::MissingPath(path.clone()))?;
        let (dir, file_name) = if meta.is_dir() {
            (path.clone(), None)
        } else {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            (parent.to_path_buf(), path.file_name())
        };
        let here = git_line(&dir, &["rev-parse", "--show-toplevel"]).map_err(|e| match e {
            RevisionError::Git { message, .. } => RevisionError::NotARepository {
                path: path.clone(),
                git: message,
            },
            other => other,
        })?;
        let here = bytes_to_path(here);
        match &top {
            Some((top, first)) if *top != here => {
                return Err(RevisionError::OtherRepository {
                    path: path.clone(),
                    first: first.clone(),
                });
            }
            Some(_) => {}
            None => top = Some((here, path.clone())),
        }
        let prefix = git_line(&dir, &["rev-parse", "--show-prefix"])?;
        let mut prefix = String::from_utf8_lossy(&prefix).into_owned();
        if let Some(name) = file_name {
            prefix.push_str(&name.to_string_lossy());
        }
        let in_repo = prefix.trim_end_matches('/').to_string();
        located.push((in_repo, path.clone(), meta.is_dir()));
    }
    let (top, _) = top.expect("at least one path");

    // The commit, checked before REV is used anywhere else; from here on only its hash is.
    // `REV^{commit}` cannot start with `-` (refused above), so git cannot take it for an option;
    // `--end-of-options` would say so again but is unknown to git before 2.30.
    let spec = format!("{rev}^{{commit}}");
    let commit =
        git_line(&top, &["rev-parse", "--verify", "--quiet", &spec]).map_err(|e| match e {
            RevisionError::Git { .. } => RevisionError::UnknownRevision(rev.to_string()),
            other => other,
        })?;
    let commit = String::from_utf8_lossy(&commit).into_owned();
    if commit.is_empty() || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(RevisionError::UnknownRevision(rev.to_string()));
    }

    let entries = list_files(&top, &commit, &located)?;
    let dir = tempfile::Builder::new()
        .prefix("crosscheck-rev-")
        .tempdir()
        .map_err(|e| RevisionError::Io {
            path: std::env::temp_dir(),
            message: e.to_string(),
        })?;
    let files = copy_blobs(&top, dir.path(), &entries)?;
    let has_data = entries
        .iter()
        .any(|e| e.path.extension().is_some_and(|x| x == "toml"));

    let mut mapped = Vec::new();
    for (in_repo, user, is_dir) in located {
        let copy = dir.path().join(in_repo_path(&in_repo));
        if is_dir {
            // A folder that did not exist yet is an empty folder at REV.
            std::fs::create_dir_all(&copy).map_err(|e| RevisionError::Io {
                path: copy.clone(),
                message: e.to_string(),
            })?;
        } else if !copy.is_file() {
            continue;
        }
        mapped.push((copy, user));
    }
    Ok(Snapshot {
        commit,
        files,
        has_data,
        dir,
        paths: mapped,
    })
}

impl Snapshot {
    /// Loads the copy. Paths in the data set and in errors read as in the working tree. A data
    /// set that did not exist at the commit (no `*.toml` file under its paths) is empty.
    pub fn load(&self) -> Result<Dataset, LoadFailure> {
        let root = self
            .paths
            .iter()
            .find(|(copy, _)| copy.is_dir())
            .map(|(_, user)| user.clone());
        if !self.has_data || self.paths.is_empty() {
            let root = root.unwrap_or_else(|| PathBuf::from("."));
            return Ok(Dataset {
                accepted_path: root.join(load::ACCEPTED_FILE),
                root,
                ..Dataset::default()
            });
        }
        let copies: Vec<PathBuf> = self.paths.iter().map(|(copy, _)| copy.clone()).collect();
        match load::load(&copies) {
            Ok(mut data) => {
                data.files = self.rename_files(&data.files);
                data.root = self.user_path(&data.root);
                data.accepted_path = self.user_path(&data.accepted_path);
                Ok(data)
            }
            Err(mut failure) => {
                failure.files = self.rename_files(&failure.files);
                for diag in &mut failure.errors {
                    diag.message = self.scrub(&diag.message);
                    for label in &mut diag.labels {
                        label.message = self.scrub(&label.message);
                    }
                    for note in &mut diag.notes {
                        *note = self.scrub(note);
                    }
                    diag.help = diag.help.as_deref().map(|h| self.scrub(h));
                }
                Err(failure)
            }
        }
    }

    /// The working-tree path a path in the copy stands for.
    fn user_path(&self, copy: &Path) -> PathBuf {
        let best = self
            .paths
            .iter()
            .filter_map(|(c, user)| {
                copy.strip_prefix(c)
                    .ok()
                    .map(|rest| (c.components().count(), user, rest))
            })
            .max_by_key(|(depth, _, _)| *depth);
        match best {
            Some((_, user, rest)) if rest.as_os_str().is_empty() => user.clone(),
            Some((_, user, rest)) => user.join(rest),
            None => copy
                .strip_prefix(self.dir.path())
                .map_or_else(|_| copy.to_path_buf(), Path::to_path_buf),
        }
    }

    fn rename_files(&self, files: &SourceMap) -> SourceMap {
        let mut out = SourceMap::default();
        for (_, file) in files.files() {
            let path = self.user_path(&file.path);
            let display = display_path(&path);
            out.add(SourceFile::new(path, display, file.text.clone()));
        }
        out
    }

    /// A message with paths into the copy replaced by the working tree's.
    fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        let mut pairs: Vec<(String, String)> = self
            .paths
            .iter()
            .map(|(copy, user)| (display_path(copy), display_path(user)))
            .collect();
        pairs.sort_by_key(|(copy, _)| std::cmp::Reverse(copy.len()));
        for (copy, user) in pairs {
            if user.is_empty() {
                out = out.replace(&format!("{copy}/"), "").replace(&copy, ".");
            } else {
                out = out.replace(&copy, &user);
            }
        }
        out.replace(&display_path(self.dir.path()), "")
    }
}

/// A file at the commit.
#[derive(Debug)]
struct Entry {
    object: String,
    /// Relative, `..`-free, inside the data set's paths.
    path: PathBuf,
}

/// The regular files under the located paths at `commit`.
fn list_files(
    top: &Path,
    commit: &str,
    located: &[(String, PathBuf, bool)],
) -> Result<Vec<Entry>, RevisionError> {
    let mut args: Vec<&str> = vec!["ls-tree", "-r", "-z", "--full-name", commit, "--"];
    let whole_tree = located.iter().any(|(p, _, _)| p.is_empty());
    if !whole_tree {
        args.extend(located.iter().map(|(p, _, _)| p.as_str()));
    }
    let out = git_output(top, &args)?;
    let mut entries = Vec::new();
    for record in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        // `<mode> SP <type> SP <object> TAB <path>`
        let Some(tab) = record.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let meta = String::from_utf8_lossy(&record[..tab]);
        let mut parts = meta.split(' ');
        let (Some(mode), Some(kind), Some(object)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        // Regular files only: no symbolic links (120000), no submodules (160000).
        if kind != "blob" || !(mode == "100644" || mode == "100755") {
            continue;
        }
        let Ok(name) = std::str::from_utf8(&record[tab + 1..]) else {
            continue;
        };
        let inside = whole_tree
            || located.iter().any(|(p, _, _)| {
                name == p
                    || name
                        .strip_prefix(p.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            });
        if !inside {
            continue;
        }
        if let Some(path) = safe_relative(name) {
            entries.push(Entry {
                object: object.to_string(),
                path,
            });
        }
    }
    Ok(entries)
}

/// A path from git as a relative path of plain names, or `None` when it could leave the folder
/// it is joined to (`..`, an absolute path, a drive, an empty or `.` component).
fn safe_relative(name: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in name.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\0') {
            return None;
        }
        if cfg!(windows) && (part.contains('\\') || part.contains(':')) {
            return None;
        }
        let mut components = Path::new(part).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(_)), None) => out.push(part),
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

fn in_repo_path(in_repo: &str) -> PathBuf {
    in_repo.split('/').filter(|p| !p.is_empty()).collect()
}

/// Writes each entry's blob under `dir`; returns how many were written.
fn copy_blobs(top: &Path, dir: &Path, entries: &[Entry]) -> Result<usize, RevisionError> {
    if entries.is_empty() {
        return Ok(0);
    }
    let command = "git cat-file --batch";
    let git_failed = |message: String| RevisionError::Git {
        command: command.into(),
        message,
    };
    let mut child = git(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RevisionError::GitMissing(e.to_string()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let requests: Vec<String> = entries.iter().map(|e| e.object.clone()).collect();
    let writer = std::thread::spawn(move || {
        for object in requests {
            if writeln!(stdin, "{object}").is_err() {
                break;
            }
        }
    });
    let mut stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut out = BufReader::new(child.stdout.take().expect("piped"));
    let result = read_blobs(&mut out, dir, entries);
    drop(out);
    let _ = writer.join();
    let status = child.wait();
    let stderr = errors.join().unwrap_or_default();
    let written = result.map_err(|e| match e {
        BlobError::Git(message) => git_failed(if stderr.trim().is_empty() {
            message
        } else {
            stderr.trim().to_string()
        }),
        BlobError::Io(path, message) => RevisionError::Io { path, message },
    })?;
    match status {
        Ok(s) if s.success() => Ok(written),
        Ok(_) => Err(git_failed(stderr.trim().to_string())),
        Err(e) => Err(git_failed(e.to_string())),
    }
}

enum BlobError {
    Git(String),
    Io(PathBuf, String),
}

fn read_blobs(out: &mut impl BufRead, dir: &Path, entries: &[Entry]) -> Result<usize, BlobError> {
    let mut written = 0;
    for entry in entries {
        let mut header = Vec::new();
        out.read_until(b'\n', &mut header)
            .map_err(|e| BlobError::Git(e.to_string()))?;
        let header = String::from_utf8_lossy(&header).trim_end().to_string();
        // `<object> SP <type> SP <size>`, or `<object> SP missing`.
        let fields: Vec<&str> = header.split(' ').collect();
        let size = match fields.as_slice() {
            [object, "blob", size] if *object == entry.object => size.parse::<u64>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            return Err(BlobError::Git(format!(
                "unexpected answer {header:?} for {}",
                entry.path.display()
            )));
        };
        let target = dir.join(&entry.path);
        let io = |e: std::io::Error| BlobError::Io(target.clone(), e.to_string());
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        // `create_new` never follows or replaces what is there (two names that a
        // case-insensitive file system takes for one): the later one is skipped.
        let mut body = out.take(size);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
        {
            Ok(mut file) => {
                let copied = std::io::copy(&mut body, &mut file).map_err(io)?;
                if copied != size {
                    return Err(BlobError::Git(format!(
                        "{} was cut short",
                        entry.path.display()
                    )));
                }
                written += 1;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                std::io::copy(&mut body, &mut std::io::sink()).map_err(io)?;
            }
            Err(e) => return Err(io(e)),
        }
        let mut newline = [0u8; 1];
        out.read_exact(&mut newline)
            .map_err(|e| BlobError::Git(e.to_string()))?;
    }
    Ok(written)
}

/// `git -C <dir>`, without a shell, with pathspecs taken literally.
fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
        .env("GIT_LITERAL_PATHSPECS", "1")
        .stdin(Stdio::null());
    command
}

/// The standard output of a git command, or its error message.
fn git_output(dir: &Path, args: &[&str]) -> Result<Vec<u8>, RevisionError> {
    let output = git(dir)
        .args(args)
        .output()
        .map_err(|e| RevisionError::GitMissing(e.to_string()))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let message = String::from_utf8_lossy(&output.stderr).trim().to_string();
        let command = format!("git {}", args.first().copied().unwrap_or_default());
        Err(RevisionError::Git {
            command,
            message: if message.is_empty() {
                format!("exit status {}", output.status)
            } else {
                message
            },
        })
    }
}

/// The first line of a git command's output, without its newline.
fn git_line(dir: &Path, args: &[&str]) -> Result<Vec<u8>, RevisionError> {
    let mut out = git_output(dir, args)?;
    if out.ends_with(b"\n") {
        out.pop();
    }
    if let Some(i) = out.iter().position(|&b| b == b'\n') {
        out.truncate(i);
    }
    Ok(out)
}

#[cfg(unix)]
fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_revisions_that_look_like_options() {
        assert_eq!(
            check_revision_text("--output=/tmp/x"),
            Err(RevisionError::LooksLikeOption("--output=/tmp/x".into()))
        );
        assert_eq!(
            check_revision_text("-n"),
            Err(RevisionError::LooksLikeOption("-n".into()))
        );
        assert_eq!(check_revision_text(""), Err(RevisionError::Empty));
        assert_eq!(check_revision_text("origin/main"), Ok(()));
        assert_eq!(check_revision_text("HEAD~1"), Ok(()));
    }

    #[test]
    fn git_paths_stay_inside() {
        assert_eq!(
            safe_relative("data/a.toml"),
            Some(PathBuf::from("data/a.toml"))
        );
        assert_eq!(safe_relative("../a.toml"), None);
        assert_eq!(safe_relative("data/../../a.toml"), None);
        assert_eq!(safe_relative("/etc/passwd"), None);
        assert_eq!(safe_relative("data//a.toml"), None);
        assert_eq!(safe_relative("./a.toml"), None);
        assert_eq!(safe_relative(""), None);
    }

    #[test]
    fn reads_batch_answers() {
        let dir = tempfile::tempdir().unwrap();
        let entries = vec![
            Entry {
                object: "aa".into(),
                path: PathBuf::from("d/a.toml"),
            },
            Entry {
                object: "bb".into(),
                path: PathBuf::from("d/e/b.txt"),
            },
        ];
        let answer = b"aa blob 3\nx=1\nbb blob 0\n\n";
        let written = read_blobs(&mut &answer[..], dir.path(), &entries)
            .ok()
            .unwrap();
        assert_eq!(written, 2);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("d/a.toml")).unwrap(),
            "x=1"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("d/e/b.txt")).unwrap(),
            ""
        );
        let missing = b"aa missing\n";
        assert!(matches!(
            read_blobs(&mut &missing[..], dir.path(), &entries[..1]),
            Err(BlobError::Git(_))
        ));
    }
}
