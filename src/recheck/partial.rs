//! The partial check: the touched units recomputed from the stored resolved records and the
//! changed files, merged with the previous findings.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Instant;

use rayon::prelude::*;

use crate::engine::{self, CheckOptions, Finding, Locality, family_roots};
use crate::load::cache::Cache;
use crate::load::parse::{RawFile, parse_file};
use crate::load::{self, Begun};
use crate::model::{Dataset, Timing};
use crate::source_map::{FileId, SourceFile};

use super::files::{DataFile, Unread, read_shown_files};
use super::judge::Judge;
use super::state::{ClaimRecord, Entry, FileRecord, Names, Segments, State};
use super::{GiveUp, How, Job, Piece, Prepared, Units, definitions, id_hash, store};

/// Rechecks the units `units` on a data set of the stored records that are not claims, the
/// units' stored claims and the changed files' claims, and copies every other finding. Only
/// the changed files are read and parsed (and, at the end, those the new findings point into).
pub(super) fn partial(
    begun: Begun,
    files: Vec<DataFile>,
    previous: &State,
    names: &Names,
    changed: &[usize],
    units: &Units,
    job: &Job,
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
            definitions: before.definitions,
        })
        .collect();
    let (mut data, fresh, unread) = parse_changed_files(begun, files, previous, &changed)?;
    timings.push(Timing::since("recheck: parse the changed files", step));

    let step = Instant::now();
    let mut store = store::Reader::new(names, &previous.store);
    restore_definitions(&mut data, &mut store, previous)?;
    timings.push(Timing::since(
        "recheck: read the stored records that are not claims",
        step,
    ));
    let step = Instant::now();
    let roots = family_roots(&data);
    let fresh = load::resolve_more_claims(&data, fresh)
        .map_err(|_| GiveUp::Full("a changed file has errors"))?;
    data.claims = unit_claims(&data, &roots, &mut store, previous, &changed, units, fresh)?;
    let claims = claims_of_units(&mut data, &roots, previous, &changed, units)?;
    timings.push(Timing::since("recheck: claims of the units", step));

    let step = Instant::now();
    let (found, entries) = recompute(&data, &roots, previous, units, job.options, &mut timings)?;
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
        format: job.format,
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
            sources: previous.sources,
            store: previous.store.clone(),
        },
        how: How::Partial {
            data,
            segments: Segments::none(),
            pieces,
            found,
            families: units.families.clone(),
        },
        timings,
    })
}

/// The data set's files, in the source map (those not read as empty stand-ins, until
/// [`read_shown_files`]), and the changed ones parsed: their records other than claims must be
/// as before, and they must have no errors.
fn parse_changed_files(
    begun: Begun,
    files: Vec<DataFile>,
    previous: &State,
    changed: &HashSet<u32>,
) -> Result<(Dataset, Vec<RawFile>, Unread), GiveUp> {
    let unread: Unread = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.read.is_none())
        .map(|(i, f)| (begun.file_id(i).0, (f.path.clone(), f.key)))
        .collect();
    let first = begun.file_id(0).0;
    let parsed: Vec<(SourceFile, Option<RawFile>)> = files
        .into_par_iter()
        .enumerate()
        .map(|(i, file)| {
            let id = FileId(first + i as u32);
            let (source, problem) = file.into_source();
            if !changed.contains(&id.0) {
                return Ok((source, None));
            }
            let mut raw = parse_file(id, &source.text);
            let same = problem.is_none()
                && raw.errors.is_empty()
                && definitions(&mut raw) == previous.files[i].definitions;
            match same {
                true => Ok((source, Some(raw))),
                false => Err(GiveUp::Full(
                    "a record that is not a claim changed, or a file has errors",
                )),
            }
        })
        .collect::<Result<_, GiveUp>>()?;
    let mut data = begun.data;
    let mut fresh = Vec::with_capacity(changed.len());
    for (source, raw) in parsed {
        data.files.add(source);
        fresh.extend(raw);
    }
    Ok((data, fresh, unread))
}

/// Puts the stored records that are not claims into `data`, and the sources' text copies into
/// its source map where the full check had them (each still as the previous run saw it).
fn restore_definitions(
    data: &mut Dataset,
    store: &mut store::Reader,
    previous: &State,
) -> Result<(), GiveUp> {
    let damaged = || GiveUp::Full("the stored records are damaged");
    let stored = store.definitions().ok_or_else(damaged)?;
    data.sources = stored.sources;
    data.entities = stored.entities;
    data.properties = stored.properties;
    data.rules = stored.rules;
    data.accepted = stored.accepted;
    data.entity_names = stored.entity_names;
    // Only the copies the state names, which `plan` found inside the data set.
    let known: HashMap<&std::path::Path, [u8; 32]> = previous
        .texts
        .iter()
        .map(|(path, key)| (path.as_path(), *key))
        .collect();
    let data_files = data.files.files().count() as u32;
    for (id, path) in stored.texts {
        if id.0 < data_files {
            // Left unread here, its text would be empty when quote-not-found searches it.
            return Err(GiveUp::Full(
                "a source's text copy is one of the data files",
            ));
        }
        let changed = || GiveUp::Full("a source's text copy changed");
        let key = *known.get(path.as_path()).ok_or_else(damaged)?;
        let file = load::text::read_copy(&path).ok_or_else(changed)?;
        if Cache::key(&file.text).0.as_bytes() != &key {
            return Err(changed());
        }
        if data.files.add(file) != id {
            return Err(damaged());
        }
    }
    Ok(())
}

/// The claims of the units, in load order: the stored claims of their families and, from
/// other families, of their sources, with the changed files' claims (`fresh`) in place of
/// the stored ones of those files. Default ids are numbered again in the units' families,
/// which hold every claim of their subjects.
fn unit_claims(
    data: &Dataset,
    roots: &[u32],
    store: &mut store::Reader,
    previous: &State,
    changed: &HashSet<u32>,
    units: &Units,
    fresh: Vec<crate::model::Claim>,
) -> Result<Vec<crate::model::Claim>, GiveUp> {
    let mut read: BTreeSet<u32> = units.families.clone();
    read.extend(
        previous
            .claims
            .iter()
            .filter(|c| units.sources.contains(&c.source))
            .map(|c| c.family),
    );
    // How many claims each block must hold: a check that it is the block of this state.
    let mut counts: HashMap<u32, usize> = read.iter().map(|&f| (f, 0)).collect();
    for c in &previous.claims {
        if let Some(n) = counts.get_mut(&c.family) {
            *n += 1;
        }
    }
    let mut claims = fresh;
    for family in read {
        let block = store
            .family(family)
            .filter(|block| block.len() == counts[&family])
            .ok_or(GiveUp::Full("the stored claims are damaged"))?;
        let whole = units.families.contains(&family);
        claims.extend(block.into_iter().filter(|c| {
            !changed.contains(&c.span.file.0) && (whole || units.sources.contains(&c.source.0))
        }));
    }
    claims.sort_unstable_by_key(|c| (c.span.file, c.span.start));
    let in_families =
        |c: &&mut crate::model::Claim| units.families.contains(&roots[c.subject.value.index()]);
    load::number_default_ids(data, claims.iter_mut().filter(in_families));
    Ok(claims)
}

/// Every claim's record for the next run: the units' from `data`, the others' from the
/// previous state. Gives up when the edit moved claims into units it did not touch before
/// (to try again with those too), or when two ids may be one; leaves `data` with the units'
/// claims only.
pub(super) fn claims_of_units(
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
pub(super) fn recompute(
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
pub(super) fn merge(
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

/// Each file's rank by its displayed path: the report orders places by it.
pub(super) fn display_ranks(data: &Dataset) -> Vec<u32> {
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
