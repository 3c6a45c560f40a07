//! The parse cache: each data file's records, keyed by a hash of its content and of this
//! build of crosscheck, so that re-checking a large data set after editing one file parses
//! only that file.
//!
//! An entry is never trusted blindly. It is one file written atomically (temporary file, then
//! rename, so concurrent writers cannot interleave), and it starts with a header that names
//! the format, the build, the payload's length and the payload's BLAKE3 hash. An entry that is
//! truncated, corrupt, from another build or unreadable is ignored; the file is parsed again
//! and the entry rewritten. Writing is best effort: a cache folder that cannot be written only
//! costs speed.
//!
//! Entries are keyed by content, not path: the records of a file depend only on its text.
//! Spans are stored without their file and read back for the file's id in this run
//! ([`crate::source_map::with_file`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::parse::RawFile;
use crate::source_map::{FileId, with_file};

/// The cache folder's name at the data set root.
pub const CACHE_DIR: &str = ".crosscheck-cache";

const MAGIC: &[u8; 8] = b"XCHKRAW1";
/// The extension of a file's entry.
const RECORDS: &str = "bin";
/// The extension of a named entry.
const NAMED: &str = "state";
/// This build: the package version and a fingerprint of its source (see build.rs).
const BUILD: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("CROSSCHECK_SOURCE_HASH")
);

/// A parse cache in one folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// The key of a file's entry: its content and this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(pub blake3::Hash);

impl Cache {
    /// The cache for this build under `dir`.
    pub fn new(dir: &Path) -> Cache {
        Cache {
            dir: dir.join(BUILD),
        }
    }

    /// Whether the cache under `dir` (the folder itself or its folder for this build) is a
    /// symbolic link: one committed in a data set could point anywhere on the machine, and
    /// entries would be read from and written there.
    pub fn is_redirected(dir: &Path) -> bool {
        let is_link =
            |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
        is_link(dir) || is_link(&dir.join(BUILD))
    }

    pub fn key(text: &str) -> Key {
        let mut hasher = blake3::Hasher::new();
        hasher.update(BUILD.as_bytes());
        hasher.update(&[0]);
        hasher.update(text.as_bytes());
        Key(hasher.finalize())
    }

    /// A file's entry, or a named one (see [`Cache::named`]).
    fn path(&self, key: Key, named: bool) -> PathBuf {
        let extension = if named { NAMED } else { RECORDS };
        self.dir.join(format!("{}.{extension}", key.0.to_hex()))
    }

    /// The key of an entry that is not a file's records but something else this build keeps,
    /// named by `name` ([`Cache::get_named`], [`Cache::put_named`]).
    pub fn named(name: &str) -> Key {
        Cache::key(&format!("\0named\0{name}"))
    }

    /// The folder this build's entries are in.
    pub fn folder(&self) -> &Path {
        &self.dir
    }

    /// The cached records of a file, or `None` when there is no sound entry for it.
    pub fn get(&self, key: Key, file: FileId) -> Option<RawFile> {
        let bytes = std::fs::read(self.path(key, false)).ok()?;
        let payload = check_entry(&bytes, key)?;
        with_file(file, || postcard::from_bytes(payload).ok())
    }

    /// The payload of a sound named entry.
    pub fn get_named(&self, key: Key) -> Option<Vec<u8>> {
        let mut bytes = std::fs::read(self.path(key, true)).ok()?;
        let len = check_entry(&bytes, key)?.len();
        Some(bytes.split_off(bytes.len() - len))
    }

    /// Stores a file's records; failures are ignored (the cache only saves time).
    pub fn put(&self, key: Key, raw: &RawFile) {
        if let Ok(payload) = postcard::to_stdvec(raw) {
            self.put_bytes(key, &payload, false);
        }
    }

    /// Stores a named entry; failures are ignored.
    pub fn put_named(&self, key: Key, payload: &[u8]) {
        self.put_bytes(key, payload, true);
    }

    fn put_bytes(&self, key: Key, payload: &[u8], named: bool) {
        let mut entry = Vec::with_capacity(payload.len() + 80);
        entry.extend_from_slice(MAGIC);
        entry.extend_from_slice(&(BUILD.len() as u32).to_le_bytes());
        entry.extend_from_slice(BUILD.as_bytes());
        entry.extend_from_slice(key.0.as_bytes());
        entry.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        entry.extend_from_slice(blake3::hash(payload).as_bytes());
        entry.extend_from_slice(payload);
        let _ = self.write(key, &entry, named);
    }

    fn write(&self, key: Key, entry: &[u8], named: bool) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let target = self.path(key, named);
        // A name no other writer uses, so concurrent runs never write into the same file.
        let unique = format!(
            ".{}.{}.{:?}.tmp",
            key.0.to_hex(),
            std::process::id(),
            std::thread::current().id()
        )
        .replace(['(', ')'], "");
        let tmp = self.dir.join(unique);
        // `create_new`: a symbolic link planted under this name is never followed.
        let result = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| f.write_all(entry))
            .and_then(|()| std::fs::rename(&tmp, &target));
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

impl Cache {
    /// Removes what no longer serves, after a run that read every data file under the cache's
    /// data set (`used`: their keys):
    /// the entries of files that no longer have that content, temporary files that runs killed
    /// while writing left over an hour ago, and the folders of other builds (a cache restored
    /// after an upgrade). Only for a data set's own cache folder, checked whole (see
    /// `Begun::may_prune`). Named entries, segment and store files are not touched (the
    /// re-check keeps those itself). Best effort, like every write.
    pub fn prune(&self, used: &std::collections::HashSet<Key>) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let stale = if let Some(hex) = name.strip_suffix(&format!(".{RECORDS}")) {
                blake3::Hash::from_hex(hex).is_ok_and(|hash| !used.contains(&Key(hash)))
            } else if name.ends_with(".tmp") {
                entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|modified| modified < hour_ago)
            } else {
                false
            };
            if stale {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let Some(root) = self.dir.parent() else {
            return;
        };
        for other in std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            // Build folders are named `<version>+<source hash>`; nothing else is removed.
            let name = other.file_name();
            let is_build = name.to_string_lossy().contains('+');
            if is_build && other.path() != self.dir && other.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(other.path());
            }
        }
    }
}

/// The payload of a sound entry: right magic, right build, written for this key (an entry
/// copied over another file's name is refused), complete, unaltered.
fn check_entry(bytes: &[u8], key: Key) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (build_len, rest) = split_u32(rest)?;
    let (build, rest) = rest.split_at_checked(build_len as usize)?;
    if build != BUILD.as_bytes() {
        return None;
    }
    let (written_for, rest) = rest.split_at_checked(32)?;
    if written_for != key.0.as_bytes() {
        return None;
    }
    let (len, rest) = split_u64(rest)?;
    let (hash, payload) = rest.split_at_checked(32)?;
    if payload.len() as u64 != len || blake3::hash(payload).as_bytes() != hash {
        return None;
    }
    Some(payload)
}

fn split_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = bytes.split_at_checked(4)?;
    Some((u32::from_le_bytes(head.try_into().ok()?), rest))
}

fn split_u64(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let (head, rest) = bytes.split_at_checked(8)?;
    Some((u64::from_le_bytes(head.try_into().ok()?), rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse::parse_file;

    const TEXT: &str = "[[source]]\nid = \"a\"\ntitle = \"A\"\n";

    fn entry_path(cache: &Cache) -> PathBuf {
        cache.path(Cache::key(TEXT), false)
    }

    #[test]
    fn round_trips_with_the_runs_file_id() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let raw = parse_file(FileId(3), TEXT);
        cache.put(Cache::key(TEXT), &raw);
        let back = cache.get(Cache::key(TEXT), FileId(7)).expect("cached");
        assert_eq!(back.sources.len(), 1);
        assert_eq!(back.sources[0].id.span.file, FileId(7));
        assert_eq!(back.sources[0].id.span.start, raw.sources[0].id.span.start);
    }

    #[test]
    fn damaged_entries_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        cache.put(Cache::key(TEXT), &parse_file(FileId(0), TEXT));
        let path = entry_path(&cache);
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        let mut other_build = good.clone();
        other_build[12] ^= 1;
        for bad in [
            vec![],
            good[..good.len() / 2].to_vec(),
            flipped,
            other_build,
            b"garbage".to_vec(),
        ] {
            std::fs::write(&path, &bad).unwrap();
            assert!(cache.get(Cache::key(TEXT), FileId(0)).is_none());
        }
    }
}
