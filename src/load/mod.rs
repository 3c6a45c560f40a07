//! The loader: files → typed, resolved records with spans.
//!
//! 1. [`discover`] finds the data files under the given paths (hidden folders, `target/` and
//!    symbolic links skipped) in a fixed order;
//! 2. each file is read and parsed on its own ([`parse::parse_file`]), in parallel;
//! 3. [`resolve::resolve`] joins them: ids, references, values, defaults.
//!
//! Every problem becomes a [`Diagnostic`]; a run reports all of them, sorted by place.

pub mod cache;
mod config;
mod discover;
pub mod fields;
pub mod parse;
mod resolve;
mod suggest;
pub mod text;

use std::path::{Path, PathBuf};

use std::time::Instant;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::model::{Dataset, Timing};
use crate::source_map::{FileId, SourceFile, SourceMap};

pub use discover::{DataFiles, discover};
pub(crate) use resolve::{number_default_ids, resolve_more_claims};
pub use suggest::did_you_mean;

/// The name of the settings file at the data set's root.
pub const SETTINGS_FILE: &str = "crosscheck.toml";
/// The name of the acceptances file at the data set's root.
pub const ACCEPTED_FILE: &str = "accepted.toml";
/// Larger data files are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// A data set that could not be loaded: every error, and the files they point into.
#[derive(Debug)]
pub struct LoadFailure {
    pub files: SourceMap,
    pub errors: Vec<Diagnostic>,
}

/// How to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Use the parse cache: in this folder, or in `.crosscheck-cache/` at the data set root
    /// when `cache_dir` is `None` and `use_cache` is set.
    pub use_cache: bool,
    pub cache_dir: Option<PathBuf>,
}

/// Loads the data set made of the given files and folders (`.` when empty), without a cache.
pub fn load(paths: &[PathBuf]) -> Result<Dataset, LoadFailure> {
    load_with(paths, &LoadOptions::default())
}

/// Loads the data set made of the given files and folders (`.` when empty).
pub fn load_with(paths: &[PathBuf], options: &LoadOptions) -> Result<Dataset, LoadFailure> {
    let mut begun = begin(paths, options);
    let step = Instant::now();
    let cache = begun.cache.as_ref();
    let (parsed, keys): (Vec<(SourceFile, parse::RawFile)>, Vec<Option<cache::Key>>) = begun
        .found
        .files
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let id = begun.file_id(i);
            let (file, problem) = read_source(id, path);
            let key = cache.map(|_| cache::Cache::key(&file.text));
            let raw = problem.unwrap_or_else(|| match key {
                Some(key) => parse_keyed(id, &file.text, key, cache),
                None => parse::parse_file(id, &file.text),
            });
            ((file, raw), key)
        })
        .unzip();
    begun.prune_cache(keys.into_iter().flatten());
    begun
        .data
        .timings
        .push(Timing::since("load: read and parse", step));
    finish(begun, parsed)
}

/// A load under way: the files found, the settings read, the cache to use.
pub(crate) struct Begun {
    pub paths: Vec<PathBuf>,
    pub found: DataFiles,
    pub data: Dataset,
    pub errors: Vec<Diagnostic>,
    pub cache: Option<cache::Cache>,
    /// Whether this run may prune `cache`: it is the data set's own folder (not one named with
    /// `--cache-dir`, which may serve other data sets too), and the run reads every file under
    /// its root (one folder was named, not files, which may be a few of many).
    pub may_prune: bool,
}

impl Begun {
    /// Prunes the cache ([`cache::Cache::prune`]) when this run may, given every data file's key.
    pub fn prune_cache(&self, keys: impl Iterator<Item = cache::Key>) {
        if let (Some(cache), true) = (&self.cache, self.may_prune) {
            cache.prune(&keys.collect());
        }
    }

    /// The id the `i`th data file gets (the settings file, when there is one, comes first).
    pub fn file_id(&self, i: usize) -> FileId {
        FileId((self.data.files.files().count() + i) as u32)
    }
}

/// Finds the data files under `paths` (`.` when empty) and reads the settings.
pub(crate) fn begin(paths: &[PathBuf], options: &LoadOptions) -> Begun {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let started = Instant::now();
    let mut errors = Vec::new();
    let found = discover(&paths, &mut errors);
    let mut data = Dataset {
        root: found.root.clone(),
        accepted_path: found.root.join(ACCEPTED_FILE),
        ..Dataset::default()
    };
    if let Some(settings) = &found.settings {
        config::load_settings(&mut data, settings, &mut errors);
    }

    let cache = options.use_cache.then(|| {
        cache::Cache::new(
            &options
                .cache_dir
                .clone()
                .unwrap_or_else(|| found.root.join(cache::CACHE_DIR)),
        )
    });
    // The default cache folder is inside the data set, which may come from a pull request: a
    // symbolic link there is not followed (no cache this run).
    let cache = cache.filter(|_| {
        options.cache_dir.is_some()
            || !cache::Cache::is_redirected(&found.root.join(cache::CACHE_DIR))
    });
    data.timings
        .push(Timing::since("load: find files", started));
    let may_prune = options.cache_dir.is_none() && paths.len() == 1 && paths[0].is_dir();
    Begun {
        paths,
        found,
        data,
        errors,
        cache,
        may_prune,
    }
}

/// Joins the parsed files (one per found file, in order) into the data set.
pub(crate) fn finish(
    begun: Begun,
    parsed: Vec<(SourceFile, parse::RawFile)>,
) -> Result<Dataset, LoadFailure> {
    finish_filtered(begun, parsed, None)
}

/// [`finish`], resolving only the claims `filter` admits.
pub(crate) fn finish_filtered(
    begun: Begun,
    parsed: Vec<(SourceFile, parse::RawFile)>,
    filter: Option<resolve::ClaimFilter<'_>>,
) -> Result<Dataset, LoadFailure> {
    let Begun {
        paths,
        mut data,
        mut errors,
        ..
    } = begun;
    let mut raw_files = Vec::with_capacity(parsed.len());
    for (file, raw) in parsed {
        let id = data.files.add(file);
        raw_files.push((id, raw));
    }
    if errors.is_empty() {
        check_not_empty(&paths, &raw_files, &data.files, &mut errors);
    }
    let step = Instant::now();
    resolve::resolve(&mut data, raw_files, &mut errors, filter);
    data.timings.push(Timing::since("load: resolve", step));

    if errors.is_empty() {
        Ok(data)
    } else {
        sort_diagnostics(&mut errors, &data.files);
        Err(LoadFailure {
            files: data.files,
            errors,
        })
    }
}

/// A data set with no records at all is almost surely the wrong path (or files emptied by
/// accident): checking it would pass while checking nothing.
fn check_not_empty(
    paths: &[PathBuf],
    files: &[(FileId, parse::RawFile)],
    map: &SourceMap,
    errors: &mut Vec<Diagnostic>,
) {
    let has_records = files.iter().any(|(_, r)| {
        !(r.sources.is_empty()
            && r.claims.is_empty()
            && r.entities.is_empty()
            && r.properties.is_empty()
            && r.rules.is_empty()
            && r.accepted.is_empty()
            && r.errors.is_empty())
    });
    if has_records {
        return;
    }
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut diag = Diagnostic::error(format!("no records found in {}", shown.join(", ")));
    for (id, _) in files {
        let span = crate::source_map::Span::new(*id, 0..0);
        diag = diag.with_primary(span, format!("{} holds no records", map.file(*id).display));
    }
    if files.is_empty() {
        diag = diag
            .with_note("no *.toml files were found there (hidden folders, target/ and symbolic links are skipped)");
    }
    errors.push(diag.with_help("name the folder that holds the claim files, for example `crosscheck check examples/afghanistan`"));
}

/// Orders diagnostics by the place they point at (file order, then position), so a run reports
/// them the same way every time.
fn sort_diagnostics(errors: &mut [Diagnostic], files: &SourceMap) {
    errors.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.primary_span()
                .map(|s| (files.file(s.file).display.clone(), s.start, s.end))
        };
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
}

/// Reads one file. An unreadable, non-UTF-8 or oversized file comes back with the records
/// of its error, and still goes in the source map so messages can point into it.
pub(crate) fn read_source(id: FileId, path: &Path) -> (SourceFile, Option<parse::RawFile>) {
    let display = text::display_path(path);
    let (content, problem) = match read_file(path) {
        Ok(content) => (content, None),
        Err((content, problem)) => (content, Some(problem)),
    };
    let file = SourceFile::new(path.to_path_buf(), display, content);
    let raw = problem.map(|problem| parse::RawFile {
        errors: vec![problem.into_diagnostic(id, &file)],
        ..Default::default()
    });
    (file, raw)
}

/// A file's records from the cache when it holds them (under `key`, the file's
/// [`cache::Cache::key`]), else parsed, and then cached when the file has no errors: errors are
/// reported afresh every run.
pub(crate) fn parse_keyed(
    id: FileId,
    text: &str,
    key: cache::Key,
    cache: Option<&cache::Cache>,
) -> parse::RawFile {
    let Some(cache) = cache else {
        return parse::parse_file(id, text);
    };
    if let Some(raw) = cache.get(key, id) {
        return raw;
    }
    let raw = parse::parse_file(id, text);
    if raw.errors.is_empty() {
        cache.put(key, &raw);
    }
    raw
}

/// Why a file's bytes could not be used.
enum ReadProblem {
    Io(String),
    NotUtf8 { offset: usize },
    TooLarge(u64),
}

impl ReadProblem {
    fn into_diagnostic(self, id: FileId, file: &SourceFile) -> Diagnostic {
        let here = |offset: usize| crate::source_map::Span::new(id, offset..offset);
        match self {
            ReadProblem::Io(why) => {
                Diagnostic::error(format!("cannot read {}: {why}", file.display))
            }
            ReadProblem::TooLarge(len) => Diagnostic::error(format!(
                "{} is too large to load ({} MiB; the limit is {} MiB)",
                file.display,
                len / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ))
            .with_help("split it into several files, for example one per source document"),
            ReadProblem::NotUtf8 { offset } => {
                Diagnostic::error(format!("{} is not valid UTF-8 text", file.display))
                    .with_primary(here(offset), "invalid byte here")
                    .with_help("save the file as UTF-8")
            }
        }
    }
}

/// The file's text; a UTF-8 byte order mark is dropped (editors on Windows write one). On
/// error, the text that could be read (for pointing at the problem) and the problem.
fn read_file(path: &Path) -> Result<String, (String, ReadProblem)> {
    let meta = std::fs::metadata(path)
        .map_err(|e| (String::new(), ReadProblem::Io(text::io_reason(&e))))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err((String::new(), ReadProblem::TooLarge(meta.len())));
    }
    let mut bytes =
        std::fs::read(path).map_err(|e| (String::new(), ReadProblem::Io(text::io_reason(&e))))?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        // Offsets before the first bad byte are the same in the lossy text.
        (lossy, ReadProblem::NotUtf8 { offset })
    })
}
