//! The re-check after an edit: a JSON check that recomputes only what an edit can have changed
//! and copies the rest of the previous run's report.
//!
//! Every finding depends on the records that are not claims (entities, sources, properties,
//! rules, acceptances, settings) and on the claims of one *unit* ([`crate::engine::Locality`]):
//! a family (an entity and everything `part_of` it, with every claim about them) for most
//! rules, a source for `unattributed`, no claims for `alias-suspect` and `circular-citation`.
//! So when an edit changes only claims, the findings of the units whose claims it touched are
//! recomputed, on a data set of just those units' files, and every other finding is copied
//! from the previous report, byte for byte, in the report's order.
//!
//! Anything else takes the full check: no previous state, or one that is not sound; files added,
//! removed or renamed; a changed record that is not a claim (a claim edit that moves a source
//! record moves its place, so that counts too); changed settings or text copies; an error
//! anywhere; duplicate ids; two findings with one fingerprint. `tests/recheck.rs` holds the
//! result byte-identical to a check without the cache, edit after edit.

mod state;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use crate::engine::{self, CheckOptions, Finding, Locality, Report, Summary, family_roots};
use crate::load::cache::{Cache, Key};
use crate::load::parse::{RawFile, parse_file};
use crate::load::{self, Begun, LoadFailure, LoadOptions};
use crate::model::{Dataset, EntityIdx, Severity, SourceIdx, Timing};
use crate::report::json;
use crate::source_map::{FileId, SourceFile, with_file};
use state::{ClaimRecord, Entry, FileRecord, FileStat, Names, Pending, State, Tee, Unit};

/// A check whose report is ready to be written.
pub struct Prepared {
    how: How,
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
    /// The counts, once the state has gone to the cache.
    written: Option<Summary>,
}

enum How {
    /// Nothing changed: the previous findings, as they are.
    Unchanged { segments: Vec<Vec<u8>> },
    /// The whole data set checked.
    Full {
        data: Dataset,
        report: Report,
        why: &'static str,
    },
    /// Some units checked again, the rest copied from the previous report.
    Partial {
        data: Dataset,
        /// The previous findings' texts, by segment.
        segments: Vec<Vec<u8>>,
        pieces: Vec<Piece>,
        found: Vec<Finding>,
    },
}

/// One finding of a partial re-check's report.
enum Piece {
    /// Copied from the previous report: the entry's segment and range.
    Old,
    /// The `i`th recomputed finding.
    New(usize),
}

/// A data file: read, or, when `stat` says it is as the previous run left it, not read at
/// all (most files of a large data set, after an edit).
struct DataFile {
    path: PathBuf,
    display: String,
    stat: Option<FileStat>,
    /// The key of its content: computed when read, else the previous run's.
    key: Key,
    read: Option<Read>,
}

struct Read {
    file: SourceFile,
    /// The records of its error when it could not be read.
    problem: Option<RawFile>,
}

impl DataFile {
    fn problem(&self) -> bool {
        self.read.as_ref().is_some_and(|r| r.problem.is_some())
    }

    /// Reads it, if it was not; `false` when its content is not what its key says.
    fn ensure_read(&mut self, id: FileId) -> bool {
        if self.read.is_none() {
            let (file, problem) = load::read_source(id, &self.path);
            let same = problem.is_none() && Cache::key(&file.text) == self.key;
            self.read = Some(Read { file, problem });
            return same;
        }
        true
    }

    /// Reads it afresh, if it was not, whatever its content now.
    fn read_now(&mut self, id: FileId) {
        if self.read.is_none() {
            let (file, problem) = load::read_source(id, &self.path);
            self.key = Cache::key(&file.text);
            self.read = Some(Read { file, problem });
        }
    }

    /// Its text, or an empty stand-in when it was not read.
    fn into_source(self) -> (SourceFile, Option<RawFile>) {
        match self.read {
            Some(read) => (read.file, read.problem),
            None => (
                SourceFile::new(self.path, self.display, String::new()),
                None,
            ),
        }
    }
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

/// Loads and checks the data set for a JSON report, reusing the previous JSON check's state in
/// the cache when it can. Errors are those of loading or of the rules, with the files they
/// point into.
pub fn prepare(
    paths: &[std::path::PathBuf],
    load_options: &LoadOptions,
    options: &CheckOptions,
) -> Result<Prepared, LoadFailure> {
    let started = Instant::now();
    let begun = load::begin(paths, load_options);
    let Some(cache) = begun.cache.clone() else {
        let files = read_all(&begun, None);
        let timings = vec![Timing::since("recheck: read every file", started)];
        return full(begun, files, None, options, timings, "no cache");
    };
    let names = Names::new(&cache, &begun.found.root);
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
                settings_fail_on: begun.data.settings.fail_on,
                how: How::Unchanged { segments: old },
                store: restated.then_some((cache, names)),
                state: previous,
                timings,
                written: None,
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
        let attempt = partial(begun, files, &previous, &changed, &units, options);
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

/// Options that change the report: each combination keeps its own state.
fn options_key(options: &CheckOptions) -> String {
    format!("json\0{}\0{}", options.today, options.select.join("\0"))
}

/// Every data file, in parallel: read and hashed, unless `stat` says it is as `previous` left
/// it.
fn read_all(begun: &Begun, previous: Option<&State>) -> Vec<DataFile> {
    let previous = previous.filter(|p| p.files.len() == begun.found.files.len());
    begun
        .found
        .files
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let display = load::text::display_path(path);
            let stat = FileStat::of(path);
            let before = previous.map(|p| &p.files[i]);
            let mut file = DataFile {
                path: path.clone(),
                display,
                stat,
                key: Key(blake3::Hash::from_bytes(
                    before.map_or([0; 32], |b| b.content),
                )),
                read: None,
            };
            let unchanged = before
                .is_some_and(|b| b.display == file.display && stat.is_some() && b.stat == stat);
            if !unchanged {
                file.read_now(begun.file_id(i));
            }
            file
        })
        .collect()
}

enum Plan {
    Unchanged,
    /// The full check, and why.
    Full(&'static str),
    /// These files (indices among the data files) changed.
    Partial(Vec<usize>),
}

/// What the previous state allows: the same files, settings and text copies, and which files
/// changed.
fn plan(begun: &Begun, files: &[DataFile], previous: &State) -> Plan {
    let settings = begun.found.settings.as_ref().map(|_| {
        *Cache::key(&begun.data.files.file(FileId(0)).text)
            .0
            .as_bytes()
    });
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

/// A file's records other than claims, serialized: what a partial re-check requires unchanged.
fn definitions(raw: &mut RawFile) -> Vec<u8> {
    let claims = std::mem::take(&mut raw.claims);
    let bytes = postcard::to_stdvec(&*raw).unwrap_or_default();
    raw.claims = claims;
    bytes
}

/// Checks the whole data set (and describes it for the next run when `store` is given).
fn full(
    begun: Begun,
    mut files: Vec<DataFile>,
    store: Option<(Cache, Names)>,
    options: &CheckOptions,
    mut timings: Vec<Timing>,
    why: &'static str,
) -> Result<Prepared, LoadFailure> {
    let step = Instant::now();
    let cache = begun.cache.as_ref();
    let settings = begun.found.settings.as_ref().map(|_| {
        *Cache::key(&begun.data.files.file(FileId(0)).text)
            .0
            .as_bytes()
    });
    files
        .par_iter_mut()
        .enumerate()
        .for_each(|(i, file)| file.read_now(begun.file_id(i)));
    let parsed: Vec<((SourceFile, RawFile), FileRecord)> = files
        .into_par_iter()
        .enumerate()
        .map(|(i, file)| {
            let id = begun.file_id(i);
            let (key, stat) = (file.key, file.stat);
            let (source, problem) = file.into_source();
            let mut raw =
                problem.unwrap_or_else(|| load::parse_keyed(id, &source.text, key, cache));
            let record = FileRecord {
                display: source.display.clone(),
                stat,
                content: *key.0.as_bytes(),
                definitions: if store.is_some() {
                    definitions(&mut raw)
                } else {
                    Vec::new()
                },
            };
            ((source, raw), record)
        })
        .collect();
    let (parsed, file_records): (Vec<_>, Vec<_>) = parsed.into_iter().unzip();
    timings.push(Timing::since("load: parse", step));
    let data = load::finish(begun, parsed)?;
    let report = match engine::check(&data, options) {
        Ok(report) => report,
        Err(errors) => {
            return Err(LoadFailure {
                files: data.files,
                errors,
            });
        }
    };
    let step = Instant::now();
    let state = store
        .as_ref()
        .and_then(|_| describe(&data, &report, file_records, settings, options));
    timings.append(&mut data.timings.clone());
    timings.extend(report.timings.iter().cloned());
    timings.push(Timing::since("recheck: describe for the next run", step));
    let settings_fail_on = data.settings.fail_on;
    Ok(Prepared {
        store: store.filter(|_| state.is_some()),
        state: state.unwrap_or_else(empty_state),
        how: How::Full { data, report, why },
        settings_fail_on,
        timings,
        written: None,
    })
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
    }
}

/// What the next run needs to know about this one; `None` when its findings break what a
/// partial re-check relies on (a finding spanning two units, two findings with one
/// fingerprint), so that the next run checks everything.
fn describe(
    data: &Dataset,
    report: &Report,
    files: Vec<FileRecord>,
    settings: Option<[u8; 32]>,
    options: &CheckOptions,
) -> Option<State> {
    let roots = family_roots(data);
    let claims = data
        .claims
        .par_iter()
        .map(|c| ClaimRecord {
            id_hash: id_hash(&c.id),
            family: roots[c.subject.value.index()],
            source: c.source.0,
            file: c.span.file.0,
        })
        .collect();
    let judge = Judge::new(data, report, &roots);
    let findings = report
        .findings
        .par_iter()
        .map(|f| judge.entry(f))
        .collect::<Option<Vec<Entry>>>()?;
    if !unique_fingerprints(findings.iter().map(|e| e.fingerprint.as_str())) {
        return None;
    }
    Some(State {
        options: options_key(options),
        segments: Vec::new(),
        settings,
        files,
        texts: text_copies(data),
        claims,
        findings,
    })
}

/// Every source's text copy: its path and content key.
fn text_copies(data: &Dataset) -> Vec<(std::path::PathBuf, [u8; 32])> {
    let mut texts: Vec<_> = data
        .sources
        .iter()
        .filter_map(|s| s.text)
        .map(|id| {
            let file = data.files.file(id);
            (file.path.clone(), *Cache::key(&file.text).0.as_bytes())
        })
        .collect();
    texts.sort();
    texts.dedup();
    texts
}

fn unique_fingerprints<'a>(fingerprints: impl Iterator<Item = &'a str>) -> bool {
    let mut all: Vec<&str> = fingerprints.collect();
    all.par_sort_unstable();
    all.windows(2).all(|w| w[0] != w[1])
}

fn id_hash(id: &str) -> u64 {
    // Fixed keys: the same id hashes the same in every run of this build.
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// Places findings: their unit and their order.
struct Judge<'a> {
    data: &'a Dataset,
    roots: &'a [u32],
    kinds: HashMap<&'a str, Locality>,
    ranks: HashMap<&'a str, usize>,
}

impl<'a> Judge<'a> {
    fn new(data: &'a Dataset, report: &'a Report, roots: &'a [u32]) -> Judge<'a> {
        Judge {
            data,
            roots,
            kinds: report
                .rules
                .iter()
                .map(|r| (r.id.as_str(), r.kind.locality()))
                .collect(),
            ranks: engine::rule_ranks(&report.rules),
        }
    }

    /// The unit a finding depends on; `None` when it has none (its claims are of several).
    fn unit(&self, f: &Finding) -> Option<Unit> {
        if f.rule == engine::STALE_ACCEPTANCE {
            return Some(Unit::Stale);
        }
        let one = |of: &dyn Fn(&crate::model::Claim) -> u32| -> Option<u32> {
            let mut all = f.claims.iter().map(|c| of(self.data.claim(c.idx)));
            let first = all.next()?;
            all.all(|x| x == first).then_some(first)
        };
        match self.kinds.get(f.rule.as_str())? {
            Locality::Definitions => f.claims.is_empty().then_some(Unit::Definitions),
            Locality::Family => one(&|c| self.roots[c.subject.value.index()]).map(Unit::Family),
            Locality::Source => one(&|c| c.source.0).map(Unit::Source),
        }
    }

    fn entry(&self, f: &Finding) -> Option<Entry> {
        let place = f.primary_span(self.data).map(|s| (s.file.0, s.start));
        Some(Entry {
            unit: self.unit(f)?,
            severity: f.severity,
            accepted: f.accepted.is_some(),
            rule_rank: self
                .ranks
                .get(f.rule.as_str())
                .map_or(u32::MAX, |&r| r as u32),
            place,
            fingerprint: f.fingerprint.clone(),
            segment: 0,
            text: 0..0,
        })
    }
}

/// Rechecks the units `units` on a data set of the files that hold their claims (and of every
/// file's records that are not claims), and copies every other finding.
fn partial(
    begun: Begun,
    files: Vec<DataFile>,
    previous: &State,
    changed: &[usize],
    units: &Units,
    options: &CheckOptions,
) -> Result<Prepared, GiveUp> {
    let mut timings = Vec::new();
    let step = Instant::now();
    let changed: HashSet<u32> = changed.iter().map(|&i| begun.file_id(i).0).collect();
    let files_now: Vec<FileRecord> = previous
        .files
        .iter()
        .zip(&files)
        .map(|(before, now)| FileRecord {
            display: before.display.clone(),
            stat: now.stat,
            content: *now.key.0.as_bytes(),
            definitions: before.definitions.clone(),
        })
        .collect();
    let (parsed, unread) = load_unit_files(&begun, files, previous, &changed, units)?;
    timings.push(Timing::since("recheck: parse the files of the units", step));
    let mut data = resolve_units(begun, parsed, &changed, units)?;
    timings.extend(data.timings.iter().cloned());

    let step = Instant::now();
    let roots = family_roots(&data);
    let claims = claims_of_units(&mut data, &roots, previous, &changed, units)?;
    timings.push(Timing::since("recheck: claims of the units", step));

    let step = Instant::now();
    let (found, entries) = recompute(&data, &roots, previous, units, options, &mut timings)?;
    let (pieces, findings) = merge(&data, previous, units, entries);
    timings.push(Timing::since(
        "recheck: merge with the previous findings",
        step,
    ));
    let step = Instant::now();
    read_shown_files(&mut data, &found, &unread)?;
    timings.push(Timing::since(
        "recheck: read the files the new findings point into",
        step,
    ));
    Ok(Prepared {
        settings_fail_on: data.settings.fail_on,
        store: None,
        state: State {
            options: previous.options.clone(),
            segments: previous.segments.clone(),
            settings: previous.settings,
            files: files_now,
            texts: previous.texts.clone(),
            claims,
            findings,
        },
        how: How::Partial {
            data,
            segments: Vec::new(),
            pieces,
            found,
        },
        timings,
        written: None,
    })
}

/// Files a partial re-check did not read: where they are and what their content must be.
type Unread = HashMap<u32, (PathBuf, Key)>;

/// Every file's records for the partial data set: the changed files parsed afresh (their
/// records other than claims must be as before), the files holding the units' claims from
/// the parse cache, and only the records other than claims of every other file, from the
/// state (those files are not even read).
fn load_unit_files(
    begun: &Begun,
    mut files: Vec<DataFile>,
    previous: &State,
    changed: &HashSet<u32>,
    units: &Units,
) -> Result<(Vec<(SourceFile, RawFile)>, Unread), GiveUp> {
    let needed: HashSet<u32> = previous
        .claims
        .iter()
        .filter(|c| units.hold(c))
        .map(|c| c.file)
        .chain(changed.iter().copied())
        .collect();
    let all_read = files
        .par_iter_mut()
        .enumerate()
        .filter(|(i, _)| needed.contains(&begun.file_id(*i).0))
        .all(|(i, file)| file.ensure_read(begun.file_id(i)));
    if !all_read {
        return Err(GiveUp::Full("a file changed while it was being checked"));
    }
    let unread: Unread = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.read.is_none())
        .map(|(i, f)| (begun.file_id(i).0, (f.path.clone(), f.key)))
        .collect();
    let cache = begun.cache.as_ref();
    let parsed = files
        .into_par_iter()
        .enumerate()
        .map(|(i, file)| {
            let id = begun.file_id(i);
            let key = file.key;
            let (source, _) = file.into_source();
            let raw = if changed.contains(&id.0) {
                let mut raw = parse_file(id, &source.text);
                let same =
                    raw.errors.is_empty() && definitions(&mut raw) == previous.files[i].definitions;
                same.then_some(raw)
            } else if needed.contains(&id.0) {
                Some(load::parse_keyed(id, &source.text, key, cache))
            } else {
                with_file(id, || {
                    postcard::from_bytes::<RawFile>(&previous.files[i].definitions).ok()
                })
            };
            raw.map(|raw| (source, raw)).ok_or(GiveUp::Full(
                "a record that is not a claim changed, or a file has errors",
            ))
        })
        .collect::<Result<_, GiveUp>>()?;
    Ok((parsed, unread))
}

/// Resolves the partial data set: every record but claims, and only the claims of the units
/// (and every claim of the changed files, to see whether the edit reached other units): the
/// loaded files hold many others.
fn resolve_units(
    begun: Begun,
    parsed: Vec<(SourceFile, RawFile)>,
    changed: &HashSet<u32>,
    units: &Units,
) -> Result<Dataset, GiveUp> {
    let roots = std::sync::OnceLock::new();
    let keep = |data: &Dataset, file: FileId, subject: EntityIdx, source: SourceIdx| {
        let roots = roots.get_or_init(|| family_roots(data));
        changed.contains(&file.0)
            || units.families.contains(&roots[subject.index()])
            || units.sources.contains(&source.0)
    };
    load::finish_filtered(begun, parsed, Some(&keep))
        .map_err(|_| GiveUp::Full("the data set has errors"))
}

/// Every claim's record for the next run: the units' from `data`, the others' from the
/// previous state. Gives up when the edit moved claims into units it did not touch before
/// (to try again with those too), or when two ids may be one; leaves `data` with the units'
/// claims only.
fn claims_of_units(
    data: &mut Dataset,
    roots: &[u32],
    previous: &State,
    changed: &HashSet<u32>,
    units: &Units,
) -> Result<Vec<ClaimRecord>, GiveUp> {
    let record = |c: &crate::model::Claim| ClaimRecord {
        id_hash: id_hash(&c.id),
        family: roots[c.subject.value.index()],
        source: c.source.0,
        file: c.span.file.0,
    };
    let mut wider = units.clone();
    let mut widened = false;
    for claim in data
        .claims
        .iter()
        .filter(|c| changed.contains(&c.span.file.0))
    {
        widened |= wider.add(&record(claim));
    }
    if widened {
        return Err(GiveUp::Widen(wider));
    }
    let claims: Vec<ClaimRecord> = previous
        .claims
        .iter()
        .filter(|c| !units.hold(c))
        .copied()
        .chain(data.claims.iter().map(record).filter(|c| units.hold(c)))
        .collect();
    let mut ids: Vec<u64> = claims.iter().map(|c| c.id_hash).collect();
    ids.par_sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        // Possibly a duplicate id: the full check says where.
        return Err(GiveUp::Full("two claims may have one id"));
    }
    // Nothing refers to claims by index yet: the rules need not see the others.
    let in_units: Vec<bool> = data.claims.iter().map(|c| units.hold(&record(c))).collect();
    let mut keep = in_units.into_iter();
    data.claims.retain(|_| keep.next().unwrap_or(false));
    Ok(claims)
}

/// The findings of the units, recomputed by the rules that read claims, with the stale
/// acceptances of the whole report; and their entries for the state.
fn recompute(
    data: &Dataset,
    roots: &[u32],
    previous: &State,
    units: &Units,
    options: &CheckOptions,
    timings: &mut Vec<Timing>,
) -> Result<(Vec<Finding>, Vec<Entry>), GiveUp> {
    let report = engine::check_rules(data, options, |rule| {
        rule.kind.locality() != Locality::Definitions
    })
    .map_err(|_| GiveUp::Full("a rule cannot be applied"))?;
    timings.extend(report.timings.iter().cloned());
    let judge = Judge::new(data, &report, roots);
    let spans_units = || GiveUp::Full("a finding spans several units");
    let mut found = Vec::new();
    let mut entries = Vec::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.rule != engine::STALE_ACCEPTANCE)
    {
        let entry = judge.entry(f).ok_or_else(spans_units)?;
        if units.recheck(entry.unit) {
            found.push(f.clone());
            entries.push(entry);
        }
    }
    let stale = {
        let kept = previous.findings.iter().filter(|e| !units.recheck(e.unit));
        let fingerprints: HashSet<&str> = kept
            .clone()
            .map(|e| e.fingerprint.as_str())
            .chain(entries.iter().map(|e| e.fingerprint.as_str()))
            .collect();
        if fingerprints.len() != kept.count() + entries.len() {
            return Err(GiveUp::Full("two findings have one fingerprint"));
        }
        engine::stale_acceptances(data, |fp| fingerprints.contains(fp))
    };
    for f in stale {
        entries.push(judge.entry(&f).ok_or_else(spans_units)?);
        found.push(f);
    }
    Ok((found, entries))
}

/// Every finding in report order: the previous ones outside the units keep their order, the
/// recomputed ones (`entries`, in the order of their findings) are merged in by the key the
/// engine sorts by.
fn merge(
    data: &Dataset,
    previous: &State,
    units: &Units,
    entries: Vec<Entry>,
) -> (Vec<Piece>, Vec<Entry>) {
    let rank = display_ranks(data);
    let key = |e: &Entry| {
        (
            e.severity,
            e.rule_rank,
            e.place.map(|(file, start)| (rank[file as usize], start)),
            e.fingerprint.clone(),
        )
    };
    let mut order: Vec<(Piece, Entry)> = previous
        .findings
        .iter()
        .filter(|e| !units.recheck(e.unit))
        .map(|e| (Piece::Old, e.clone()))
        .chain(
            entries
                .into_iter()
                .enumerate()
                .map(|(i, e)| (Piece::New(i), e)),
        )
        .collect();
    order.par_sort_by_cached_key(|(_, e)| key(e));
    order.into_iter().unzip()
}

/// Reads the files the recomputed findings point into that were left unread (their places are
/// shown as lines and columns), checking each is still what the previous run saw.
fn read_shown_files(
    data: &mut Dataset,
    found: &[Finding],
    unread: &HashMap<u32, (std::path::PathBuf, Key)>,
) -> Result<(), GiveUp> {
    let mut shown = BTreeSet::new();
    for f in found {
        for c in &f.claims {
            let claim = data.claim(c.idx);
            shown.extend([c.span, Some(claim.value_text.span)].into_iter().flatten());
        }
        for e in &f.entities {
            shown.insert(e.span.unwrap_or(data.entity(e.idx).span));
        }
        for s in &f.sources {
            shown.insert(s.span.unwrap_or(data.source(s.idx).span));
        }
        shown.extend(f.span);
    }
    let ids: BTreeSet<u32> = shown
        .into_iter()
        .map(|s| s.file.0)
        .filter(|id| unread.contains_key(id))
        .collect();
    for id in ids {
        let (path, key) = &unread[&id];
        let (file, problem) = load::read_source(FileId(id), path);
        if problem.is_some() || Cache::key(&file.text) != *key {
            return Err(GiveUp::Full("a file changed while it was being checked"));
        }
        data.files.replace(FileId(id), file);
    }
    Ok(())
}

/// Each file's rank by its displayed path: the report orders places by it.
fn display_ranks(data: &Dataset) -> Vec<u32> {
    let mut by_display: Vec<(&str, u32)> = data
        .files
        .files()
        .map(|(id, f)| (f.display.as_str(), id.0))
        .collect();
    by_display.sort();
    let mut rank = vec![0; by_display.len()];
    for (r, (_, id)) in by_display.into_iter().enumerate() {
        rank[id as usize] = r as u32;
    }
    rank
}

impl Prepared {
    /// Counts of unaccepted findings by severity, and of accepted ones.
    pub fn summary(&self) -> Summary {
        if let Some(summary) = self.written {
            return summary;
        }
        match &self.how {
            How::Full { report, .. } => report.summary(),
            How::Unchanged { .. } | How::Partial { .. } => summarize(&self.state.findings),
        }
    }

    /// What this run did, for `--timings`.
    pub fn kind(&self) -> String {
        match &self.how {
            How::Unchanged { .. } => "nothing changed: the previous report".into(),
            How::Full { why, .. } => format!("full check ({why})"),
            How::Partial {
                data,
                pieces,
                found,
                ..
            } => format!(
                "partial: {} findings recomputed from {} claims, {} copied",
                found.len(),
                data.claims.len(),
                pieces.len() - found.len()
            ),
        }
    }

    /// Writes the JSON report to `out`, and what the next run needs to the cache.
    pub fn write(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        let summary = self.summary();
        match &self.how {
            How::Unchanged { segments } => {
                let mut doc = json::Document::start(out)?;
                for e in &self.state.findings {
                    doc.finding(text_of(segments, e))?;
                }
                doc.finish(summary)?;
                if let Some((cache, names)) = &self.store {
                    state::keep(cache, names, &self.state);
                }
                Ok(())
            }
            How::Full { data, report, .. } => {
                let mut pending = self.store.as_ref().and_then(|(_, n)| Pending::start(n));
                let mut tee = Tee {
                    out,
                    copy: pending.as_mut(),
                };
                let placed = json::write_report_placed(data, report, &mut tee)?;
                self.keep(pending, placed, true);
                Ok(())
            }
            How::Partial {
                data,
                segments,
                pieces,
                found,
            } => {
                // Rewrite every text into one new segment when the old ones are mostly unused;
                // else the new segment holds only the recomputed findings.
                let whole = self.state.wants_compaction();
                let mut pending = self.store.as_ref().and_then(|(_, n)| Pending::start(n));
                let mut placed = Vec::with_capacity(pieces.len());
                if whole {
                    let mut tee = Tee {
                        out,
                        copy: pending.as_mut(),
                    };
                    let mut doc = json::Document::start(&mut tee)?;
                    for (piece, e) in pieces.iter().zip(&self.state.findings) {
                        match piece {
                            Piece::Old => doc.finding(text_of(segments, e))?,
                            Piece::New(i) => doc.finding(&json::finding_text(data, &found[*i]))?,
                        }
                    }
                    placed = doc.finish(summary)?;
                } else {
                    let mut doc = json::Document::start(out)?;
                    for (piece, e) in pieces.iter().zip(&self.state.findings) {
                        match piece {
                            Piece::Old => {
                                doc.finding(text_of(segments, e))?;
                                placed.push(e.text.clone());
                            }
                            Piece::New(i) => {
                                let text = json::finding_text(data, &found[*i]);
                                doc.finding(&text)?;
                                if let Some(p) = &mut pending {
                                    let start = p.len();
                                    let _ = p.write_all(&text);
                                    placed.push(start..p.len());
                                }
                            }
                        }
                    }
                    doc.finish(summary)?;
                }
                self.keep(pending, placed, whole);
                Ok(())
            }
        }
    }

    /// Stores the state for the next run, once the new segment (`pending`) is complete:
    /// `placed` gives each finding's text, in the new segment when `whole` or when the finding
    /// was recomputed, else where it already was.
    fn keep(&mut self, pending: Option<Pending>, placed: Vec<std::ops::Range<u64>>, whole: bool) {
        let summary = self.summary();
        let (Some(pending), Some((cache, names))) = (pending, &self.store) else {
            return;
        };
        if placed.len() != self.state.findings.len() {
            return;
        }
        let step = Instant::now();
        let Some(segment) = pending.finish() else {
            return;
        };
        let mut state = std::mem::replace(&mut self.state, empty_state());
        self.written = Some(summary);
        let fresh: Vec<bool> = match &self.how {
            How::Partial { pieces, .. } if !whole => {
                pieces.iter().map(|p| matches!(p, Piece::New(_))).collect()
            }
            _ => vec![true; placed.len()],
        };
        // Only the segments still used, renumbered, then the new one.
        let mut used: Vec<u32> = state
            .findings
            .iter()
            .zip(&fresh)
            .filter(|(_, fresh)| !**fresh)
            .map(|(e, _)| e.segment)
            .collect();
        used.sort_unstable();
        used.dedup();
        let renumber: HashMap<u32, u32> = used
            .iter()
            .enumerate()
            .map(|(new, &old)| (old, new as u32))
            .collect();
        let mut segments: Vec<_> = used
            .iter()
            .map(|&i| state.segments[i as usize].clone())
            .collect();
        segments.push(segment);
        let newest = segments.len() as u32 - 1;
        for ((entry, range), fresh) in state.findings.iter_mut().zip(placed).zip(fresh) {
            if fresh {
                entry.segment = newest;
                entry.text = range;
            } else {
                entry.segment = renumber[&entry.segment];
            }
        }
        state.segments = segments;
        state::keep(cache, names, &state);
        self.timings.push(Timing::since(
            "recheck: keep the state for the next run",
            step,
        ));
    }
}

/// A previous finding's text.
fn text_of<'a>(segments: &'a [Vec<u8>], e: &Entry) -> &'a [u8] {
    &segments[e.segment as usize][e.text.start as usize..e.text.end as usize]
}

fn summarize(entries: &[Entry]) -> Summary {
    let mut s = Summary::default();
    for e in entries {
        s.count(e.severity, e.accepted);
    }
    s
}
