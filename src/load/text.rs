//! `text` copies of source documents. A data file comes from a pull request, so the path it
//! names must not make crosscheck read anything outside the data set: no absolute paths, no
//! `..` that climbs out, no symbolic link that points out.

use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;
use crate::model::{Dataset, Spanned};
use crate::source_map::{FileId, SourceFile};

/// Larger text copies are refused: quote checks read them whole.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// Loads the text copy a source's `text` names into the source map, or reports why not.
pub fn load_text(
    data: &mut Dataset,
    text: &Spanned<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<FileId> {
    let from_file = data.files.file(text.span.file).path.clone();
    let path = match safe_path(&data.root, &from_file, &text.value) {
        Ok(path) => path,
        Err(why) => {
            errors.push(
                Diagnostic::error(format!("`text` path {:?} is not allowed", text.value))
                    .with_primary(text.span, why)
                    .with_note("`text` must be a relative path to a file inside the data set")
                    .with_help(
                        "copy the document into the data set and name it relative to this file",
                    ),
            );
            return None;
        }
    };
    if let Some(id) = data.files.find(&path) {
        return Some(id);
    }
    match read_text(&path) {
        Ok(content) => {
            let display = display_path(&path);
            Some(data.files.add(SourceFile::new(path, display, content)))
        }
        Err(why) => {
            errors.push(
                Diagnostic::error(format!("cannot read the text copy {:?}", text.value))
                    .with_primary(text.span, why)
                    .with_help("the path is relative to the folder of this data file: check it, or leave `text` out"),
            );
            None
        }
    }
}

/// A text copy the data set was checked with before (a re-check's), read again as
/// [`load_text`] reads it; `None` when it no longer can be.
pub(crate) fn read_copy(path: &Path) -> Option<SourceFile> {
    let content = read_text(path).ok()?;
    Some(SourceFile::new(
        path.to_path_buf(),
        display_path(path),
        content,
    ))
}

fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_TEXT_BYTES {
        return Err(format!(
            "larger than {} MiB",
            MAX_TEXT_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| io_reason(&e))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

/// The file `relative` names, relative to the folder of `from_file`, if it stays inside `root`
/// both as written and after following symbolic links.
pub fn safe_path(root: &Path, from_file: &Path, relative: &str) -> Result<PathBuf, String> {
    if relative.is_empty() {
        return Err("the path is empty".into());
    }
    let written = Path::new(relative);
    if written.is_absolute() || relative.starts_with(['/', '\\']) || has_drive_prefix(relative) {
        return Err("an absolute path".into());
    }
    // Hidden files and folders (`.git/config`, which may hold CI credentials) are never data:
    // a quote check would show their lines in the report.
    if written
        .components()
        .any(|c| matches!(c, Component::Normal(part) if part.to_string_lossy().starts_with('.')))
    {
        return Err("names a hidden file or folder (such as .git)".into());
    }
    let base = from_file.parent().unwrap_or(Path::new(""));
    let joined = normalize(&base.join(written)).ok_or("climbs out of the data set with `..`")?;
    let root_norm = normalize(root).ok_or("the data set root cannot be resolved")?;
    if !joined.starts_with(&root_norm) {
        return Err("climbs out of the data set with `..`".into());
    }
    // Symbolic links: compare the real locations.
    let real_root = root.canonicalize().map_err(|e| io_reason(&e))?;
    let real = match joined.canonicalize() {
        Ok(real) => real,
        // Nothing there to read: reported as a missing copy, not as a path not allowed.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(joined),
        Err(e) => return Err(io_reason(&e)),
    };
    if !real.starts_with(&real_root) {
        return Err("a symbolic link on this path points outside the data set".into());
    }
    Ok(joined)
}

fn has_drive_prefix(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// Removes `.` and resolves `..` lexically; `None` when `..` climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    let mut depth = 0usize;
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if depth == 0 {
                    return None;
                }
                out.pop();
                depth -= 1;
            }
            Component::Normal(part) => {
                out.push(part);
                depth += 1;
            }
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// A path as shown in messages: as the user named it, `/`-separated, without `./` steps.
pub fn display_path(path: &Path) -> String {
    let mut out = String::new();
    for component in path.components() {
        if let Component::CurDir = component {
            continue;
        }
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&component.as_os_str().to_string_lossy());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_paths_that_leave_the_data_set() {
        let root = Path::new("data");
        let file = Path::new("data/sources/a.toml");
        assert_eq!(
            safe_path(root, file, "/etc/passwd").unwrap_err(),
            "an absolute path"
        );
        assert!(
            safe_path(root, file, "../../etc/passwd")
                .unwrap_err()
                .contains("..")
        );
        assert!(
            safe_path(root, file, "../../../x")
                .unwrap_err()
                .contains("..")
        );
        assert!(safe_path(root, file, "C:\\x").is_err());
        assert!(safe_path(root, file, "").is_err());
        assert!(
            safe_path(root, file, "../.git/config")
                .unwrap_err()
                .contains("hidden")
        );
        assert!(
            safe_path(root, file, ".env")
                .unwrap_err()
                .contains("hidden")
        );
    }

    #[test]
    fn normalizes_inner_parent_steps() {
        assert_eq!(normalize(Path::new("a/b/../c")), Some(PathBuf::from("a/c")));
        assert_eq!(normalize(Path::new("a/../..")), None);
    }
}
