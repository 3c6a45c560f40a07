//! What a JSON or human check leaves in the cache for the next one: the findings' texts, in
//! segment files, the resolved records, in store files ([`super::store`]), and this state
//! describing them. The state is one cache entry (checked like every
//! entry); each segment is a file beside it whose length and BLAKE3 hash the state records, so a
//! segment that does not match (truncated, replaced, written by another run) is never used.
//!
//! A full check writes its whole report as one segment; a partial re-check writes only the
//! findings it recomputed as a new segment and points at the old segments for the others, so a
//! one-line edit does not rewrite a 300 MB report. When the segments hold more than twice
//! what is still used, the next run writes a single segment again.

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::store::Store;
use crate::load::cache::{Cache, Key};
use crate::model::Severity;

/// A previous check, as the next one needs it.
#[derive(Debug, Serialize, Deserialize)]
pub struct State {
    /// The options that shaped the report (`--today`, `--select`): a run with others checks
    /// everything, and its state replaces this one.
    pub options: String,
    /// The files the findings' texts are in.
    pub segments: Vec<Segment>,
    /// The content key of `crosscheck.toml`, when there is one.
    pub settings: Option<[u8; 32]>,
    /// The data files, in load order (their `FileId`s follow the settings file's).
    pub files: Vec<FileRecord>,
    /// The plain-text copies of sources (path, content key): `quote-not-found` reads them.
    pub texts: Vec<(PathBuf, [u8; 32])>,
    /// Every claim, in load order.
    pub claims: Vec<ClaimRecord>,
    /// Every finding, in report order.
    pub findings: Vec<Entry>,
    /// How many sources the data set has (the human report's summary says).
    pub sources: u32,
    /// The resolved records a partial re-check starts from.
    pub store: Store,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Segment {
    /// The file name, in the cache folder.
    pub name: String,
    pub len: u64,
    pub hash: [u8; 32],
}

#[derive(Debug, Serialize, Deserialize)]
pub struct FileRecord {
    pub display: String,
    /// What `stat` said when it was read; `None` when that cannot be trusted next time.
    pub stat: Option<FileStat>,
    /// The key of its content (`Cache::key`).
    pub content: [u8; 32],
    /// The hash of its records other than claims, serialized (spans without their file): an
    /// edit that leaves it alone changes only claims.
    pub definitions: [u8; 32],
}

/// A claim: a hash of its id (to find duplicate ids without every id), its family (the root
/// entity of its subject), its source and its file.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ClaimRecord {
    pub id_hash: u64,
    pub family: u32,
    pub source: u32,
    pub file: u32,
}

/// What a finding depends on, beyond the records that are not claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// The claims of one family (its root entity's index).
    Family(u32),
    /// The claims of one source (its index).
    Source(u32),
    /// No claims at all.
    Definitions,
    /// A stale acceptance: depends on every other finding.
    Stale,
}

/// A finding in the report: what it depends on, what orders it, what it counts as, and where
/// its text is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub unit: Unit,
    pub severity: Severity,
    pub accepted: bool,
    pub rule_rank: u32,
    /// The primary place: file id and offset.
    pub place: Option<(u32, u32)>,
    pub fingerprint: String,
    /// Its text: in which segment, where.
    pub segment: u32,
    pub text: std::ops::Range<u64>,
}

impl State {
    /// Whether the segments hold so much that is no longer used that the next report should
    /// be written as one segment again.
    pub fn wants_compaction(&self) -> bool {
        let total: u64 = self.segments.iter().map(|s| s.len).sum();
        let used: u64 = self
            .findings
            .iter()
            .map(|e| e.text.end - e.text.start)
            .sum();
        self.segments.len() >= 8 || total > 2 * used + (1 << 20)
    }
}

/// The names of a state's entry and segment files.
#[derive(Debug, Clone)]
pub struct Names {
    state: Key,
    folder: PathBuf,
    prefix: String,
}

impl Names {
    /// The names for checks of `root` written in `format`. One state a data set and format:
    /// a run with other options (`--today` defaults to the date, so that is every day)
    /// replaces it, and the cache does not grow by a report per day.
    pub fn new(cache: &Cache, root: &std::path::Path, format: &str) -> Names {
        let key = Cache::named(&format!("recheck\0{format}\0{}", root.display()));
        Names {
            state: key,
            folder: cache.folder().to_path_buf(),
            prefix: format!("recheck-{}", &key.0.to_hex()[..16]),
        }
    }

    /// The path of a segment or store file a state names; `None` for a name this state's runs
    /// never write (another folder, another data set's prefix): a state is read from a cache
    /// folder that may come with the data set, and must not make crosscheck open other files.
    pub fn file(&self, name: &str) -> Option<PathBuf> {
        let plain = !name.contains(['/', '\\']) && !name.contains("..");
        (plain && name.starts_with(&self.prefix)).then(|| self.folder.join(name))
    }
}

/// The state for these options and its segments, when all are sound.
pub fn read(cache: &Cache, names: &Names, options: &str) -> Option<(State, Segments)> {
    let payload = cache.get_named(names.state)?;
    let state: State = postcard::from_bytes(&payload).ok()?;
    if state.options != options {
        return None;
    }
    let segments = Segments::open(names, &state.segments)?;
    Some((state, segments))
}

/// The previous findings' texts: the segment files, checked whole and then kept open (a
/// segment that another run removes meanwhile stays readable through its handle, and no run
/// writes into a segment once it has its name), read through a window rather than held
/// whole: at a million claims they are 300 MB.
pub struct Segments {
    files: Vec<Window>,
}

struct Window {
    file: std::fs::File,
    /// Where `bytes` start in the file.
    start: u64,
    bytes: Vec<u8>,
}

/// How much of a segment is read at a time.
const WINDOW: usize = 8 << 20;

impl Segments {
    /// No segments: a check with nothing to copy.
    pub fn none() -> Segments {
        Segments { files: Vec::new() }
    }

    fn open(names: &Names, segments: &[Segment]) -> Option<Segments> {
        let files = segments
            .iter()
            .map(|s| {
                let mut file = std::fs::File::open(names.file(&s.name)?).ok()?;
                let (len, hash) = hash_file(&mut file)?;
                (len == s.len && hash.as_bytes() == &s.hash).then_some(Window {
                    file,
                    start: 0,
                    bytes: Vec::new(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Segments { files })
    }

    /// The bytes at `range` of segment `segment`. Reads are cheapest in increasing order,
    /// which is the order the report needs them in.
    pub fn text(&mut self, segment: u32, range: std::ops::Range<u64>) -> std::io::Result<&[u8]> {
        let missing = || std::io::Error::other("a finding's text is not in its segment");
        let w = self.files.get_mut(segment as usize).ok_or_else(missing)?;
        let inside = range.start >= w.start && range.end <= w.start + w.bytes.len() as u64;
        if !inside {
            w.fill(range.start, WINDOW.max((range.end - range.start) as usize))?;
            if range.end > w.start + w.bytes.len() as u64 {
                return Err(missing());
            }
        }
        let from = (range.start - w.start) as usize;
        Ok(&w.bytes[from..from + (range.end - range.start) as usize])
    }
}

impl Window {
    /// Reads up to `want` bytes from `start` (fewer at the end of the file).
    fn fill(&mut self, start: u64, want: usize) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        self.bytes.resize(want, 0);
        self.file.seek(SeekFrom::Start(start))?;
        let mut got = 0;
        while got < want {
            match self.file.read(&mut self.bytes[got..])? {
                0 => break,
                n => got += n,
            }
        }
        self.bytes.truncate(got);
        self.start = start;
        Ok(())
    }
}

/// A file's length and BLAKE3 hash, read a window at a time.
fn hash_file(file: &mut std::fs::File) -> Option<(u64, blake3::Hash)> {
    use std::io::Read;
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; WINDOW];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update_rayon(&buf[..n]);
        len += n as u64;
    }
    Some((len, hasher.finalize()))
}

/// Stores the state, then removes the segments of this state's name that it no longer uses
/// (best effort: a run reading them at the same time falls back to a full check).
pub fn keep(cache: &Cache, names: &Names, state: &State) {
    let Ok(payload) = postcard::to_stdvec(state) else {
        return;
    };
    cache.put_named(names.state, &payload);
    let used: std::collections::HashSet<&str> = state
        .segments
        .iter()
        .map(|s| s.name.as_str())
        .chain(state.store.file_names())
        .collect();
    let Ok(entries) = std::fs::read_dir(&names.folder) else {
        return;
    };
    let stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let ours = name.ends_with(".segment") || name.ends_with(".store");
            name.starts_with(&names.prefix) && ours && !used.contains(&*name)
        })
        .map(|e| e.path())
        .collect();
    stale.par_iter().for_each(|p| {
        let _ = std::fs::remove_file(p);
    });
}

/// What a [`Pending`] file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Findings' texts: the state records the file's length and hash.
    Segment,
    /// Resolved records ([`super::store`]): each block carries its own hash, so the file as a
    /// whole is not hashed.
    Store,
}

/// A segment or store file being written: a temporary file, renamed into place by
/// [`Pending::finish`].
pub struct Pending {
    name: String,
    tmp: PathBuf,
    target: PathBuf,
    file: Option<std::fs::File>,
    /// Bytes not yet hashed and written: they go in large chunks, which BLAKE3 hashes several
    /// times faster than a finding's worth at a time.
    buffer: Vec<u8>,
    /// `None` for a store file.
    hasher: Option<blake3::Hasher>,
    len: u64,
}

/// A file [`Pending`] wrote: its name, length and, for a segment, hash.
pub struct Written {
    pub name: String,
    pub len: u64,
    pub hash: Option<[u8; 32]>,
}

/// How much [`Pending`] gathers before hashing and writing.
const PENDING_CHUNK: usize = 1 << 20;

impl Pending {
    /// Starts a new segment (`.segment`) or store file (`.store`); `None` when the cache folder
    /// cannot be written (the check goes on without leaving a state).
    pub fn start(names: &Names, kind: FileKind) -> Option<Pending> {
        let extension = match kind {
            FileKind::Segment => "segment",
            FileKind::Store => "store",
        };
        std::fs::create_dir_all(&names.folder).ok()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!(
            "{}-{}-{nanos}.{extension}",
            names.prefix,
            std::process::id()
        );
        let target = names.folder.join(&name);
        let tmp = target.with_extension("tmp");
        // `create_new`: a symbolic link planted under this name is never followed.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .ok()?;
        Some(Pending {
            name,
            tmp,
            target,
            file: Some(file),
            buffer: Vec::with_capacity(PENDING_CHUNK),
            hasher: (kind == FileKind::Segment).then(blake3::Hasher::new),
            len: 0,
        })
    }

    /// How many bytes were written so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Renames the file into place; `None` when it could not be written whole.
    pub fn finish(mut self) -> Option<Written> {
        self.write_buffer();
        self.file.take()?;
        std::fs::rename(&self.tmp, &self.target).ok()?;
        Some(Written {
            name: self.name.clone(),
            len: self.len,
            hash: self.hasher.as_ref().map(|h| *h.finalize().as_bytes()),
        })
    }
}

impl Pending {
    /// Hashes and writes what was gathered. A failing cache file must not fail the report: it
    /// is dropped, and no state is kept.
    fn write_buffer(&mut self) {
        if let Some(hasher) = &mut self.hasher {
            hasher.update_rayon(&self.buffer);
        }
        if let Some(file) = &mut self.file
            && file.write_all(&self.buffer).is_err()
        {
            self.file = None;
        }
        self.buffer.clear();
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= PENDING_CHUNK {
            self.write_buffer();
        }
        self.len += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Renamed, the temporary file is gone; abandoned, it goes.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Writes everything to two writers: the report's destination and a segment.
pub struct Tee<'a> {
    pub out: &'a mut dyn Write,
    pub copy: Option<&'a mut Pending>,
}

impl Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write_all(buf)?;
        if let Some(copy) = &mut self.copy {
            copy.write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// What `stat` says of a file. When it still says the same, the file is taken as unchanged
/// without reading it, as git and make do. A file written less than two seconds before it was
/// read is not given a `FileStat` (a second write within the same tick of the file system's
/// clock would leave it the same): it is read again next time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStat {
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
    device: u64,
}

impl FileStat {
    /// The file's `FileStat` when it can be trusted next time.
    #[cfg(unix)]
    pub fn of(path: &std::path::Path) -> Option<FileStat> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs() as i64;
        let settled = meta.mtime() < now - 2 && meta.ctime() < now - 2;
        settled.then(|| FileStat {
            len: meta.len(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        })
    }

    /// Without the metadata to trust, every file is read.
    #[cfg(not(unix))]
    pub fn of(_path: &std::path::Path) -> Option<FileStat> {
        None
    }
}
