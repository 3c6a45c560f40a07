//! The full check, and the state it leaves for the next run.

use std::time::Instant;

use rayon::prelude::*;

use crate::engine::{self, Report, family_roots};
use crate::load::cache::{Cache, Key};
use crate::load::parse::RawFile;
use crate::load::{self, Begun, LoadFailure};
use crate::model::{Dataset, Timing};
use crate::source_map::SourceFile;

use super::files::DataFile;
use super::judge::Judge;
use super::state::{ClaimRecord, Entry, FileRecord, Names, State};
use super::store::Store;
use super::{How, Job, Prepared, definitions, empty_state, id_hash, options_key, settings_key};

/// Checks the whole data set (and describes it for the next run when `store` is given).
pub(super) fn full(
    begun: Begun,
    mut files: Vec<DataFile>,
    store: Option<(Cache, Names)>,
    job: &Job,
    mut timings: Vec<Timing>,
    why: &'static str,
) -> Result<Prepared, LoadFailure> {
    let step = Instant::now();
    let cache = begun.cache.as_ref();
    let settings = settings_key(&begun);
    files.par_iter_mut().enumerate().for_each(|(i, file)| {
        // An unreadable file is reported by the load that follows.
        let _ = file.read_now(begun.file_id(i));
    });
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
                    [0; 32]
                },
            };
            ((source, raw), record)
        })
        .collect();
    let (parsed, file_records): (Vec<_>, Vec<_>) = parsed.into_iter().unzip();
    begun.prune_cache(
        file_records
            .iter()
            .map(|f| Key(blake3::Hash::from_bytes(f.content))),
    );
    timings.push(Timing::since("load: parse", step));
    let data = load::finish(begun, parsed)?;
    let report = match engine::check(&data, job.options) {
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
        .and_then(|_| describe(&data, &report, file_records, settings, job));
    timings.append(&mut data.timings.clone());
    timings.extend(report.timings.iter().cloned());
    timings.push(Timing::since("recheck: describe for the next run", step));
    let settings_fail_on = data.settings.fail_on;
    Ok(Prepared {
        format: job.format,
        store: store.filter(|_| state.is_some()),
        state: state.unwrap_or_else(empty_state),
        how: How::Full { data, report, why },
        settings_fail_on,
        timings,
    })
}

/// What the next run needs to know about this one; `None` when its findings break what a
/// partial re-check relies on (a finding spanning two units, two findings with one
/// fingerprint), so that the next run checks everything.
pub(super) fn describe(
    data: &Dataset,
    report: &Report,
    files: Vec<FileRecord>,
    settings: Option<[u8; 32]>,
    job: &Job,
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
        options: options_key(job),
        segments: Vec::new(),
        settings,
        files,
        texts: text_copies(data),
        claims,
        findings,
        sources: data.sources.len() as u32,
        store: Store::default(),
    })
}

/// Every source's text copy: its path and content key.
pub(super) fn text_copies(data: &Dataset) -> Vec<(std::path::PathBuf, [u8; 32])> {
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

pub(super) fn unique_fingerprints<'a>(fingerprints: impl Iterator<Item = &'a str>) -> bool {
    let mut all: Vec<&str> = fingerprints.collect();
    all.par_sort_unstable();
    all.windows(2).all(|w| w[0] != w[1])
}
