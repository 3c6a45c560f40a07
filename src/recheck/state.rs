//! What a JSON check leaves in the cache for the next one: the report it wrote, and this state
//! describing it. The state is one cache entry (checked like every entry); the report is a file
//! beside it whose length and BLAKE3 hash the state records, so a report that does not match
//! its state (truncated, replaced, written by another run) is never used.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::load::cache::{Cache, Key};
use crate::model::Severity;

/// A previous check, as the next one needs it.
#[derive(Debug, Serialize, Deserialize)]
pub struct State {
    pub report_len: u64,
    pub report_hash: [u8; 32],
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
}

#[derive(Debug, Serialize, Deserialize)]
pub struct FileRecord {
    pub display: String,
    /// The key of its content (`Cache::key`).
    pub content: [u8; 32],
    /// Its records other than claims, serialized (spans without their file): an edit that
    /// leaves these bytes alone changes only claims.
    pub definitions: Vec<u8>,
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
    pub text: std::ops::Range<u64>,
}

/// The names of a state's entry and report file.
#[derive(Debug, Clone)]
pub struct Names {
    state: Key,
    report: PathBuf,
}

impl Names {
    /// The entry names for checks of `root` with these options (each combination of options
    /// keeps its own state).
    pub fn new(cache: &Cache, root: &Path, options: &str) -> Names {
        let key = Cache::named(&format!("recheck\0{}\0{options}", root.display()));
        let hex = key.0.to_hex();
        Names {
            state: key,
            report: cache.folder().join(format!("recheck-{hex}.json")),
        }
    }
}

/// The state and its report, when both are sound.
pub fn read(cache: &Cache, names: &Names) -> Option<(State, Vec<u8>)> {
    let payload = cache.get_bytes(names.state)?;
    let state: State = postcard::from_bytes(&payload).ok()?;
    let report = std::fs::read(&names.report).ok()?;
    let sound =
        report.len() as u64 == state.report_len && hash(&report).as_bytes() == &state.report_hash;
    sound.then_some((state, report))
}

/// BLAKE3 of a large buffer, on every core.
pub fn hash(bytes: &[u8]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update_rayon(bytes);
    hasher.finalize()
}

/// A report file being written next to the state: a temporary file, renamed into place by
/// [`Pending::keep`] once the report is complete.
pub struct Pending {
    tmp: PathBuf,
    target: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
    hasher: blake3::Hasher,
    len: u64,
}

impl Pending {
    /// Starts the report file; `None` when the cache folder cannot be written (the check goes
    /// on without leaving a state).
    pub fn start(cache: &Cache, names: &Names) -> Option<Pending> {
        std::fs::create_dir_all(cache.folder()).ok()?;
        let tmp = names.report.with_extension(format!(
            "{}.{:?}.tmp",
            std::process::id(),
            std::thread::current().id()
        ));
        // `create_new`: a symbolic link planted under this name is never followed.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .ok()?;
        Some(Pending {
            tmp,
            target: names.report.clone(),
            file: Some(std::io::BufWriter::with_capacity(1 << 20, file)),
            hasher: blake3::Hasher::new(),
            len: 0,
        })
    }

    /// Renames the report into place and stores the state describing it.
    pub fn keep(mut self, cache: &Cache, names: &Names, mut state: State) {
        let Some(file) = self.file.take() else {
            return;
        };
        let done = file
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|_| std::fs::rename(&self.tmp, &self.target));
        if done.is_err() {
            return;
        }
        state.report_len = self.len;
        state.report_hash = *self.hasher.finalize().as_bytes();
        if let Ok(payload) = postcard::to_stdvec(&state) {
            cache.put_bytes(names.state, &payload);
        }
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // A failing cache file must not fail the report: it is dropped, and no state is kept.
        if let Some(file) = &mut self.file
            && file.write_all(buf).is_err()
        {
            self.file = None;
        }
        self.hasher.update(buf);
        self.len += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.file.is_some() || !self.target.exists() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes everything to two writers: the report's destination and the cache's copy.
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
