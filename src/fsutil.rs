//! Writing files so that a crash or a full disk never leaves a half-written file behind.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically: into a temporary file in the same folder, flushed
/// to disk, then renamed over `path`. Readers see the old file or the new one, never a mix.
///
/// A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is
/// written in place: renaming over it would replace a device with a plain file.
pub fn atomic_write(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    atomic_write_with(path, |out| out.write_all(contents))
}

/// [`atomic_write`] of what `write` produces, streamed through a buffer (a report of a large
/// data set need not be held in memory whole). When `write` fails, the old file stays.
pub fn atomic_write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if writes_in_place(path) {
        let target = std::fs::OpenOptions::new().append(true).open(path)?;
        let mut out = std::io::BufWriter::new(target);
        write(&mut out)?;
        return out.flush();
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (tmp, file) = create_temporary(dir, &name)?;
    let result = (|| {
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            // Keep the permissions of the file being replaced.
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Whether `path` is a device or pipe to write in place. A symbolic link counts only under
/// `/dev` (`/dev/stdout`): a link planted elsewhere, in a data set from a pull request, could
/// point at a disk, and is replaced like a file instead.
fn writes_in_place(path: &Path) -> bool {
    match std::fs::symlink_metadata(path) {
        // `/dev/stdout` may lead to a regular file (output redirected to a log): still written
        // in place (appended), never renamed over.
        Ok(m) if m.file_type().is_symlink() => path.starts_with("/dev"),
        Ok(m) => !m.is_file(),
        Err(_) => false,
    }
}

/// A new temporary file beside the target. `create_new` never opens what is already there, so
/// a symbolic link planted under the temporary name (a data set comes from pull requests) is
/// never followed: the next name is tried instead.
fn create_temporary(
    dir: &Path,
    name: &str,
) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    let pid = std::process::id();
    let mut last = None;
    for attempt in 0..64 {
        let tmp = dir.join(format!(".{name}.{pid}.{attempt}.tmp"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_written_in_place_never_replaced() {
        let null = Path::new("/dev/null");
        if !null.exists() {
            return;
        }
        atomic_write(null, b"discarded").unwrap();
        let meta = std::fs::metadata(null).unwrap();
        assert!(!meta.is_file(), "/dev/null is still a device");
    }

    #[test]
    fn replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "old").unwrap();
        atomic_write(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("a.toml");
        assert!(atomic_write(&path, b"new").is_err());
    }
}
