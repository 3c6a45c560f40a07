//! Finding the data files of a data set.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::SETTINGS_FILE;
use super::text::io_reason;
use crate::diag::Diagnostic;

/// The files that make up a data set.
#[derive(Debug, Default)]
pub struct DataFiles {
    /// The given folder (the first, when several are given), else the current directory.
    pub root: PathBuf,
    /// `crosscheck.toml` at the root, if there is one.
    pub settings: Option<PathBuf>,
    /// Data files, sorted by path, without duplicates.
    pub files: Vec<PathBuf>,
}

/// Every `*.toml` under the given paths. Folders whose name starts with `.` and folders named
/// `target` are skipped; symbolic links are not followed (a link could point anywhere on the
/// machine).
pub fn discover(paths: &[PathBuf], errors: &mut Vec<Diagnostic>) -> DataFiles {
    let root = paths
        .iter()
        .find(|p| p.is_dir())
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let settings = root.join(SETTINGS_FILE);
    let mut files = Vec::new();
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Err(e) => errors.push(Diagnostic::error(format!(
                "cannot read {}: {}",
                path.display(),
                io_reason(&e)
            ))),
            Ok(meta) if meta.is_dir() => walk(path, &mut files, errors),
            Ok(meta) if meta.is_file() => files.push(path.clone()),
            Ok(_) => errors.push(Diagnostic::error(format!(
                "{} is a symbolic link or special file: name the file it points to instead",
                path.display()
            ))),
        }
    }
    files.retain(|f| *f != settings);
    files.sort();
    files.dedup();
    // Not `is_file()`, which follows links: a `crosscheck.toml` linked to a file outside the
    // data set (`/proc/self/environ`) would be read, and its text shown in the errors.
    let settings = match std::fs::symlink_metadata(&settings) {
        Ok(meta) if meta.file_type().is_symlink() => {
            errors.push(
                Diagnostic::error(format!("{} is a symbolic link", settings.display()))
                    .with_note("settings are read only from a regular file: a link could point anywhere on the machine")
                    .with_help("replace the link with a copy of the file it points to, or remove it"),
            );
            None
        }
        Ok(meta) if meta.is_file() => Some(settings),
        _ => None,
    };
    DataFiles {
        settings,
        root,
        files,
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<Diagnostic>) {
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && is_toml(e.path()) => files.push(e.into_path()),
            Ok(_) => {}
            Err(e) => errors.push(Diagnostic::error(format!(
                "cannot read {}: {}",
                e.path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string()),
                e.io_error().map_or_else(|| e.to_string(), io_reason)
            ))),
        }
    }
}

fn is_skipped_dir(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.file_type().is_dir() && (name.starts_with('.') || name == "target")
}

fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
}
