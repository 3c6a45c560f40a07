//! The re-check after an edit: a JSON or human check that recomputes only what an edit can have
//! changed and copies the rest of the previous run's report.
//!
//! Every finding depends on the records that are not claims (entities, sources, properties,
//! rules, acceptances, settings) and on the claims of one *unit* ([`crate::engine::Locality`]):
//! a family (an entity and everything `part_of` it, with every claim about them) for most
//! rules, a source for `unattributed`, no claims for `alias-suspect` and `circular-citation`.
//! So when an edit changes only claims, the findings of the units whose claims it touched are
//! recomputed, and every other finding is copied from the previous report, byte for byte, in
//! the report's order. The recomputation starts from the resolved records the previous run
//! stored ([`store`]): only the changed files are read and parsed, and only the units' claims
//! are read back.
//!
//! Anything else takes the full check: no previous state, or one that is not sound; files added,
//! removed or renamed; a changed record that is not a claim (a claim edit that moves a source
//! record moves its place, so that counts too); changed settings or text copies; an error
//! anywhere; duplicate ids; two findings with one fingerprint. `tests/recheck.rs` holds the
//! result byte-identical to a check without the cache, edit after edit.

mod files;
mod full;
mod judge;
mod partial;
mod state;
mod store;
mod write;

use std::collections::{BTreeSet, HashSet};
use std::hash::{Hash, Hasher};
use std::time::Instant;

use crate::engine::{CheckOptions, Finding, Report, Summary};
use crate::load::cache::Cache;
use crate::load::parse::RawFile;
use crate::load::{self, Begun, LoadFailure, LoadOptions};
use crate::model::{Dataset, Severity, Timing};
use crate::report::document::Framing;
use crate::report::{human, json};
use crate::source_map::FileId;

use files::{DataFile, read_all};
use full::full;
use partial::partial;
use state::{ClaimRecord, Entry, Names, Segments, State, Unit};
use store::Store;

/// The formats a re-check writes: those whose findings' texts stand one after the other, each
/// rendered on its own, so that the texts of findings not recomputed can be copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Human { color: bool },
}

impl ReportFormat {
    /// Its name in the state's key: each format keeps its own state.
    fn name(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Human { color: false } => "human",
            ReportFormat::Human { color: true } => "human, in color",
        }
    }

    fn framing(self) -> Framing {
        match self {
            ReportFormat::Json => json::FRAMING,
            ReportFormat::Human { .. } => human::FRAMING,
        }
    }

    fn finding_text(self, data: &Dataset, f: &Finding) -> Vec<u8> {
        match self {
            ReportFormat::Json => json::finding_text(data, f),
            ReportFormat::Human { color } => {
                human::finding_text(data, f, crate::diag::RenderOptions { color })
            }
        }
    }

    /// What follows the findings (`any`: whether there are some), for a data set of `claims`
    /// claims from `sources` sources.
    fn tail(self, summary: Summary, any: bool, claims: usize, sources: usize) -> Vec<u8> {
        match self {
            ReportFormat::Json => json::tail(summary, any),
            ReportFormat::Human { .. } => human::tail(summary, claims, sources),
        }
    }
}

/// A check whose report is ready to be written.
pub struct Prepared {
    how: How,
    format: ReportFormat,
    /// Where to keep the state for the next run; `None` when there is no cache to keep it in,
    /// or the findings do not allow a partial re-check.
    store: Option<(Cache, Names)>,
    /// The state describing the report about to be written (each entry's text is placed as it
    /// is written).
    state: State,
    /// `fail_on` from `crosscheck.toml`.
    pub settings_fail_on: Option<Severity>,
    /// How long each step took, for `--timings`.
    pub timings: Vec<Timing>,
}

enum How {
    /// Nothing changed: the previous findings, as they are.
    Unchanged { segments: Segments },
    /// The whole data set checked.
    Full {
        data: Dataset,
        report: Report,
        why: &'static str,
    },
    /// Some units checked again, the rest copied from the previous report.
    Partial {
        data: Dataset,
        /// The previous findings' texts.
        segments: Segments,
        pieces: Vec<Piece>,
        found: Vec<Finding>,
        /// The families rechecked: their stored claims are written again.
        families: BTreeSet<u32>,
    },
}

/// One finding of a partial re-check's report.
enum Piece {
    /// Copied from the previous report: the entry's segment and range.
    Old,
    /// The `i`th recomputed finding.
    New(usize),
}

/// The families and sources whose findings a partial re-check recomputes.
#[derive(Debug, Default, Clone)]
struct Units {
    families: BTreeSet<u32>,
    sources: BTreeSet<u32>,
}

impl Units {
    fn hold(&self, claim: &ClaimRecord) -> bool {
        self.families.contains(&claim.family) || self.sources.contains(&claim.source)
    }

    fn add(&mut self, claim: &ClaimRecord) -> bool {
        let new_family = self.families.insert(claim.family);
        self.sources.insert(claim.source) | new_family
    }

    fn recheck(&self, unit: Unit) -> bool {
        match unit {
            Unit::Family(f) => self.families.contains(&f),
            Unit::Source(s) => self.sources.contains(&s),
            Unit::Definitions => false,
            Unit::Stale => true,
        }
    }
}

/// Why a partial re-check gave up.
enum GiveUp {
    /// Take the full check, for this reason.
    Full(&'static str),
    /// The edit added claims to units it did not touch before: try again with these too.
    Widen(Units),
}

/// Loads and checks the data set for a report in `format`, reusing the previous check's state in
/// the cache when it can. Errors are those of loading or of the rules, with the files they
/// point into.
pub fn prepare(
    paths: &[std::path::PathBuf],
    load_options: &LoadOptions,
    options: &CheckOptions,
    format: ReportFormat,
) -> Result<Prepared, LoadFailure> {
    let job = Job { options, format };
    let options = &job;
    let started = Instant::now();
    let begun = load::begin(paths, load_options);
    let Some(cache) = begun.cache.clone() else {
        let files = read_all(&begun, None);
        let timings = vec![Timing::since("recheck: read every file", started)];
        return full(begun, files, None, options, timings, "no cache");
    };
    let names = Names::new(&cache, &begun.found.root, format.name());
    let options_key = options_key(options);
    let previous = begun
        .errors
        .is_empty()
        .then(|| state::read(&cache, &names, &options_key))
        .flatten();
    let mut timings = vec![Timing::since("recheck: read the previous report", started)];
    let step = Instant::now();
    let files = read_all(&begun, previous.as_ref().map(|(state, _)| state));
    timings.push(Timing::since("recheck: read the files that changed", step));
    let Some((previous, old)) = previous else {
        return full(
            begun,
            files,
            Some((cache, names)),
            options,
            timings,
            "no previous report for these options",
        );
    };
    let changed = match plan(&begun, &files, &previous) {
        Plan::Unchanged => {
            // Files read only because their stat changed (a checkout, `touch`) get their new
            // stat recorded, so that the next run need not read them again.
            let mut previous = previous;
            let restated = files
                .iter()
                .zip(&mut previous.files)
                .filter(|(now, _)| now.read.is_some())
                .fold(false, |any, (now, then)| {
                    let new = then.stat != now.stat;
                    then.stat = now.stat;
                    any | new
                });
            return Ok(Prepared {
                format,
                settings_fail_on: begun.data.settings.fail_on,
                how: How::Unchanged { segments: old },
                store: restated.then_some((cache, names)),
                state: previous,
                timings,
            });
        }
        Plan::Full(why) => return full(begun, files, Some((cache, names)), options, timings, why),
        Plan::Partial(changed) => changed,
    };
    let mut units = Units::default();
    let changed_ids: HashSet<u32> = changed.iter().map(|&i| begun.file_id(i).0).collect();
    for claim in previous
        .claims
        .iter()
        .filter(|c| changed_ids.contains(&c.file))
    {
        units.add(claim);
    }
    let (mut begun, mut files) = (begun, files);
    let mut why = "the edit kept reaching further units";
    // Twice at most: an edit that adds claims to other units widens the set once.
    for _ in 0..2 {
        let paths = begun.paths.clone();
        let attempt = partial(begun, files, &previous, &names, &changed, &units, options);
        match attempt {
            Ok(mut prepared) => {
                if let How::Partial { segments, .. } = &mut prepared.how {
                    *segments = old;
                }
                timings.append(&mut prepared.timings);
                prepared.timings = timings;
                prepared.store = Some((cache, names));
                return Ok(prepared);
            }
            Err(give_up) => {
                // The data set went into the attempt: read it again.
                begun = load::begin(&paths, load_options);
                files = read_all(&begun, Some(&previous));
                match give_up {
                    GiveUp::Full(reason) => {
                        why = reason;
                        break;
                    }
                    GiveUp::Widen(wider) => units = wider,
                }
                // Files may have changed meanwhile: try again only on the same plan.
                if !matches!(plan(&begun, &files, &previous), Plan::Partial(now) if now == changed)
                {
                    why = "files changed while they were being checked";
                    break;
                }
            }
        }
    }
    full(begun, files, Some((cache, names)), options, timings, why)
}

/// What is asked: the check's options and the report's format.
struct Job<'a> {
    options: &'a CheckOptions,
    format: ReportFormat,
}

/// Options that change the report: the state of a check with others is not used.
fn options_key(job: &Job) -> String {
    let options = job.options;
    let format = job.format.name();
    format!("{format}\0{}\0{}", options.today, options.select.join("\0"))
}

enum Plan {
    Unchanged,
    /// The full check, and why.
    Full(&'static str),
    /// These files (indices among the data files) changed.
    Partial(Vec<usize>),
}

/// The content key of `crosscheck.toml`, when there is one. The loader puts it first in the
/// source map; when it could not be read it is not there, and the load reports why.
fn settings_key(begun: &Begun) -> Option<[u8; 32]> {
    begun.found.settings.as_ref()?;
    let file = begun.data.files.get(FileId(0))?;
    Some(*Cache::key(&file.text).0.as_bytes())
}

/// What the previous state allows: the same files, settings and text copies, and which files
/// changed.
fn plan(begun: &Begun, files: &[DataFile], previous: &State) -> Plan {
    let settings = settings_key(begun);
    let same_files = files.len() == previous.files.len()
        && files
            .iter()
            .zip(&previous.files)
            .all(|(now, then)| now.display == then.display);
    // Text copies lie inside the data set (the loader makes sure); a state naming another
    // place is not followed.
    let root = std::fs::canonicalize(&begun.found.root).ok();
    let inside = |path: &std::path::Path| {
        let path = std::fs::canonicalize(path).ok();
        matches!((&root, path), (Some(root), Some(path)) if path.starts_with(root))
    };
    let same_texts = previous.texts.iter().all(|(path, key)| {
        inside(path)
            && std::fs::read_to_string(path).is_ok_and(|text| Cache::key(&text).0.as_bytes() == key)
    });
    if settings != previous.settings {
        return Plan::Full("crosscheck.toml changed");
    }
    if !same_files {
        return Plan::Full("files were added, removed or renamed");
    }
    if !same_texts {
        return Plan::Full("a source's text copy changed");
    }
    let changed: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].key.0.as_bytes() != &previous.files[i].content)
        .collect();
    if changed.is_empty() {
        Plan::Unchanged
    } else if changed.iter().any(|&i| files[i].problem()) {
        Plan::Full("a file cannot be read")
    } else {
        Plan::Partial(changed)
    }
}

/// The hash of a file's records other than claims, serialized: what a partial re-check
/// requires unchanged.
fn definitions(raw: &mut RawFile) -> [u8; 32] {
    let claims = std::mem::take(&mut raw.claims);
    let bytes = postcard::to_stdvec(&*raw).unwrap_or_default();
    raw.claims = claims;
    *blake3::hash(&bytes).as_bytes()
}

fn empty_state() -> State {
    State {
        options: String::new(),
        segments: Vec::new(),
        settings: None,
        files: Vec::new(),
        texts: Vec::new(),
        claims: Vec::new(),
        findings: Vec::new(),
        sources: 0,
        store: Store::default(),
    }
}

fn id_hash(id: &str) -> u64 {
    // Fixed keys: the same id hashes the same in every run of this build.
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

fn summarize(entries: &[Entry]) -> Summary {
    let mut s = Summary::default();
    for e in entries {
        s.count(e.severity, e.accepted);
    }
    s
}
