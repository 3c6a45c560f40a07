//! Plumbing shared by the integration tests: running the crosscheck binary, loading and checking
//! data sets in the library, copying a data set, temporary git repositories, and snapshots.
//! Each test file declares `mod common;` and takes what it needs.

// Each test binary compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crosscheck::diag::RenderOptions;
use crosscheck::engine::{CheckOptions, Report};
use crosscheck::model::Dataset;

/// The example data set, relative to the crate folder.
pub const EXAMPLE: &str = "examples/afghanistan";

/// "Today" for every check the tests run, so that reports do not change with the date.
pub const TODAY: &str = "2026-01-01";

/// `text` with the first `from` replaced by `to`. `from` must occur: an edit that silently
/// changed nothing would let a test pass without testing anything.
pub fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is not in the text");
    text.replacen(from, to, 1)
}

/// Replaces the first `from` in the file at `path` by `to` (see [`replace`]).
pub fn edit_file(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, replace(&text, from, to)).unwrap();
}

/// The crate folder: the working directory of integration tests, which paths in reports are
/// relative to.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ------------------------------------------------------------------------------------------
// The crosscheck binary.

/// A command for the crosscheck binary under test, to add arguments and settings to.
pub fn crosscheck_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
}

/// Runs crosscheck with `args` in `dir` (paths in its messages are then relative to `dir`, as a
/// user types them), without colour, and returns what it printed.
pub fn crosscheck(dir: &Path, args: &[&str]) -> Output {
    crosscheck_command()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("crosscheck runs")
}

/// The exit status of a process that exited.
pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited, not killed by a signal")
}

/// The standard output of a process, which must be UTF-8.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// The standard error of a process, which must be UTF-8.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 output")
}

// ------------------------------------------------------------------------------------------
// Data sets in the library.

/// Loads the data set at `path`; if it does not load, fails the test with the errors.
pub fn load(path: &Path) -> Dataset {
    crosscheck::load::load(&[path.to_path_buf()]).unwrap_or_else(|failure| {
        let text =
            crosscheck::diag::render_all(&failure.errors, &failure.files, RenderOptions::default());
        panic!("{} does not load:\n{text}", path.display())
    })
}

/// Loads the data set at `relative`, a path from the crate folder, in the crate folder (so
/// paths in reports are relative, as a user types them).
pub fn load_relative(relative: &str) -> Dataset {
    std::env::set_current_dir(root()).unwrap();
    load(Path::new(relative))
}

/// The example data set, loaded as [`load_relative`] does.
pub fn example() -> Dataset {
    load_relative(EXAMPLE)
}

/// The report of `data` as of [`TODAY`], with the rules in `select` only (all when empty).
pub fn run_check(data: &Dataset, select: &[&str]) -> Report {
    let options = CheckOptions {
        today: crosscheck::value::parse_period(TODAY).unwrap().first,
        select: select.iter().map(|s| s.to_string()).collect(),
    };
    crosscheck::engine::check(data, &options).expect("rule configuration is valid")
}

/// Loads the data set at `relative` as [`load_relative`] does and checks it with every rule.
pub fn load_and_check(relative: &str) -> (Dataset, Report) {
    let data = load_relative(relative);
    let report = run_check(&data, &[]);
    (data, report)
}

// ------------------------------------------------------------------------------------------
// Copies of data sets.

/// Copies the folder `from` to `to`, leaving out hidden files and folders (the parse cache).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the example data set in a temporary folder: the folder, and the copy in it.
pub fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("afghanistan");
    copy_dir(&root().join(EXAMPLE), &data);
    (dir, data)
}

// ------------------------------------------------------------------------------------------
// Temporary git repositories.

/// The git variables a hook or an outer repository could set, which would point git elsewhere.
const GIT_VARS: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
];

/// A temporary folder holding a git repository (or, for [`GitRepo::plain`], not). Commands set
/// up by [`GitRepo::env`] see this repository alone: no outer one, no system or user settings.
pub struct GitRepo {
    dir: tempfile::TempDir,
    /// What [`GitRepo::env`] sets `PATH` to, if anything.
    path_var: Option<OsString>,
}

impl GitRepo {
    /// A new repository, with a committer and without commit signing.
    pub fn new() -> GitRepo {
        let repo = GitRepo::plain();
        repo.git(&["init", "-q"]);
        repo.git(&["config", "user.name", "crosscheck tests"]);
        repo.git(&["config", "user.email", "tests@crosscheck.invalid"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    /// A folder that is not in any git repository (git looks no further up than its parent).
    pub fn plain() -> GitRepo {
        GitRepo {
            dir: tempfile::tempdir().unwrap(),
            path_var: None,
        }
    }

    /// Puts `bin` first on the `PATH` of every command set up by [`GitRepo::env`], git's own
    /// included (the hooks git runs find their programs there).
    pub fn with_first_on_path(mut self, bin: &Path) -> GitRepo {
        let rest = std::env::var_os("PATH").unwrap_or_default();
        let path = std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&rest));
        self.path_var = Some(std::env::join_paths(path).unwrap());
        self
    }

    /// The repository's folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Sets up `command` to see this repository alone, without colour.
    pub fn env(&self, command: &mut Command) {
        for var in GIT_VARS {
            command.env_remove(var);
        }
        let parent = self.path().parent().unwrap_or(self.path());
        command
            .env("GIT_CEILING_DIRECTORIES", parent)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env(
                "GIT_CONFIG_GLOBAL",
                self.path().join(".no-global-gitconfig"),
            )
            .env("NO_COLOR", "1");
        if let Some(path) = &self.path_var {
            command.env("PATH", path);
        }
    }

    /// Runs `git args` in the repository; if git fails, fails the test with its message.
    pub fn git(&self, args: &[&str]) {
        let mut command = Command::new("git");
        command.current_dir(self.path()).args(args);
        self.env(&mut command);
        let out = command.output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Writes `text` to the file at `relative`, creating its folders.
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Commits every change in the working tree.
    pub fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }
}

// ------------------------------------------------------------------------------------------
// Snapshots.

/// `insta::assert_snapshot!(name, value)` into the crate's `snapshots/` folder, under `name`
/// alone (no module prefix, no expression). The snapshot path is relative to the test file
/// that uses the macro, which sits in `tests/`. (Not every test binary uses it: hence the
/// `allow`s, as `dead_code` above does not cover macros.)
#[allow(unused_macros)]
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!($name, $value);
        })
    };
}
#[allow(unused_imports)]
pub(crate) use snapshot;
