//! The partial check: the touched units recomputed on a data set of their files, merged with
//! the previous findings.

use super::*;

/// Rechecks the units `units` on a data set of the files that hold their claims (and of every
/// file's records that are not claims), and copies every other finding.
pub(super) fn partial(
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
            segments: Segments::none(),
            pieces,
            found,
        },
        timings,
    })
}

/// Every file's records for the partial data set: the changed files parsed afresh (their
/// records other than claims must be as before), the files holding the units' claims from
/// the parse cache, and only the records other than claims of every other file, from the
/// state (those files are not even read).
pub(super) fn load_unit_files(
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
pub(super) fn resolve_units(
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
