//! Records of all files → one [`Dataset`]: ids checked for duplicates, every reference turned
//! into an index, every value read by its property's type, claim defaults filled in.

use crate::model::NameMap;
use std::collections::hash_map::Entry;

use rayon::prelude::*;

use super::fields::{RawStr, RawValue};
use super::parse::{RawClaim, RawEntity, RawFile, RawRule, RawSource, type_word};
use super::suggest::{did_you_mean, help_for};
use crate::diag::Diagnostic;
use crate::model::{
    Claim, Dataset, Entity, EntityIdx, PropertyIdx, PropertyType, RuleRecord, Selector, SetItem,
    Source, SourceIdx, Spanned, Value, fold,
};
use crate::source_map::{FileId, Span};
use crate::value::{DayRange, ValueError, parse_period, parse_quantity};

/// Ids of one record kind, for duplicate checks and lookups with suggestions.
struct IdTable<I> {
    what: &'static str,
    ids: NameMap<(I, Span)>,
}

impl<I: Copy> IdTable<I> {
    fn new(what: &'static str) -> Self {
        IdTable {
            what,
            ids: NameMap::default(),
        }
    }

    /// Registers an id; a duplicate is an error naming both places.
    fn insert(&mut self, id: &Spanned<String>, idx: I, errors: &mut Vec<Diagnostic>) -> bool {
        match self.ids.entry(id.value.clone()) {
            Entry::Vacant(slot) => {
                slot.insert((idx, id.span));
                true
            }
            Entry::Occupied(first) => {
                errors.push(duplicate_id(self.what, &id.value, id.span, first.get().1));
                false
            }
        }
    }

    /// The table of records already resolved (without duplicates): `ids` in index order.
    fn of<'a>(
        what: &'static str,
        ids: impl Iterator<Item = (&'a String, Span)>,
        index: fn(u32) -> I,
    ) -> Self {
        let ids = ids
            .enumerate()
            .map(|(i, (id, span))| (id.clone(), (index(i as u32), span)))
            .collect();
        IdTable { what, ids }
    }

    fn get(&self, id: &str) -> Option<I> {
        self.ids.get(id).map(|(i, _)| *i)
    }

    /// Looks up a reference, reporting an unknown one with the closest id.
    fn resolve(
        &self,
        reference: &str,
        span: Span,
        key: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<I> {
        if let Some(idx) = self.get(reference) {
            return Some(idx);
        }
        errors.push(self.unknown(reference, span, key));
        None
    }

    fn unknown(&self, reference: &str, span: Span, key: &str) -> Diagnostic {
        let mut diag = Diagnostic::error(format!(
            "`{key}` names {} `{reference}`, which is not defined",
            article(self.what),
        ))
        .with_primary(span, format!("no {} has this id", self.what));
        let guess = did_you_mean(reference, self.ids.keys().map(String::as_str));
        if let Some(help) = help_for(guess) {
            diag = diag.with_help(help);
        } else {
            diag = diag.with_help(format!("add a [[{}]] record with this id", self.what));
        }
        diag
    }
}

/// A second record of kind `what` with the id of an earlier one.
fn duplicate_id(what: &str, id: &str, again: Span, first: Span) -> Diagnostic {
    Diagnostic::error(format!("duplicate {what} id `{id}`"))
        .with_primary(again, "defined again here")
        .with_secondary(first, "first defined here")
        .with_help(format!("{what} ids must be unique across the data set"))
}

fn article(what: &str) -> String {
    if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {what}")
    } else {
        format!("a {what}")
    }
}

/// Entities by id, name and alias, folded for case-insensitive lookup.
struct EntityNames {
    ids: IdTable<EntityIdx>,
    names: NameMap<(EntityIdx, Span)>,
    /// Each folded name as first written, for suggestions.
    spelling: NameMap<String>,
}

/// Finds entities by id, name or alias, for claims.
trait FindEntity: Sync {
    /// The entity `name` names, if any (no error when none).
    fn lookup(&self, name: &str) -> Option<EntityIdx>;

    /// The error for a `name` (written at `span`, under `key`) that names no entity.
    fn unknown(&self, name: &str, span: Span, key: &str) -> Diagnostic;

    /// The entity `name` (written at `span`) names; an error when none does.
    fn resolve(
        &self,
        name: &str,
        span: Span,
        key: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<EntityIdx> {
        let found = self.lookup(name);
        if found.is_none() {
            errors.push(self.unknown(name, span, key));
        }
        found
    }
}

/// The names of a data set resolved before (a re-check's): every id, name and alias folded,
/// none shared by two entities, so the folded name alone finds what an id would. Claims
/// resolved against it are those of changed files; any error sends the re-check to the full
/// check, which reports it with its suggestions.
impl FindEntity for NameMap<EntityIdx> {
    fn lookup(&self, name: &str) -> Option<EntityIdx> {
        self.get(&fold(name)).copied()
    }

    fn unknown(&self, _name: &str, span: Span, key: &str) -> Diagnostic {
        Diagnostic::error(format!("`{key}` names an entity that is not defined"))
            .with_primary(span, "no entity has this id, name or alias")
    }
}

impl FindEntity for EntityNames {
    fn lookup(&self, name: &str) -> Option<EntityIdx> {
        self.ids
            .get(name)
            .or_else(|| self.names.get(&fold(name)).map(|(idx, _)| *idx))
    }

    fn unknown(&self, name: &str, span: Span, key: &str) -> Diagnostic {
        let diag = Diagnostic::error(format!(
            "`{key}` names an entity `{name}`, which is not defined"
        ))
        .with_primary(span, "no entity has this id, name or alias");
        // Suggest a spelling as written in the entities file, not its folded form.
        let guess = did_you_mean(
            &fold(name),
            self.names
                .keys()
                .map(String::as_str)
                .chain(self.ids.ids.keys().map(String::as_str)),
        )
        .map(|folded| self.spelling.get(folded).map_or(folded, String::as_str));
        match guess {
            Some(g) => diag.with_help(format!("did you mean `{g}`?")),
            None => diag
                .with_help("add an [[entity]] record, or this spelling to an entity's `aliases`"),
        }
    }
}

/// Which claims a partial load resolves: given the data set so far (every record but claims),
/// a claim's file, subject and source. Claims whose subject or source cannot be found are
/// resolved anyway, so that their errors are reported.
pub type ClaimFilter<'f> = &'f (dyn Fn(&Dataset, FileId, EntityIdx, SourceIdx) -> bool + Sync);

/// Builds the dataset from every file's records, resolving the claims `filter` admits (all when
/// `None`). Files come in a fixed order (sorted paths), so ids, indices and messages do not
/// depend on the order the file system lists them in.
pub fn resolve(
    data: &mut Dataset,
    files: Vec<(FileId, RawFile)>,
    errors: &mut Vec<Diagnostic>,
    filter: Option<ClaimFilter<'_>>,
) {
    let mut properties = IdTable::new("property");
    let mut raw_entities = Vec::new();
    let mut raw_sources = Vec::new();
    let mut claim_files = Vec::with_capacity(files.len());
    let mut raw_rules = Vec::new();
    for (_file, raw) in files {
        errors.extend(raw.errors);
        for property in raw.properties {
            let id = Spanned {
                value: property.id.clone(),
                span: property.span,
            };
            if properties.insert(&id, PropertyIdx(data.properties.len() as u32), errors) {
                data.properties.push(property);
            }
        }
        raw_entities.extend(raw.entities);
        let only_source = (raw.sources.len() == 1).then(|| raw.sources[0].id.value.clone());
        raw_sources.extend(raw.sources);
        // Claims stay with their file: they are resolved file by file, and each file's raw
        // records are freed as soon as its claims are built.
        claim_files.push(ClaimFile {
            only_source,
            claims: raw.claims,
        });
        raw_rules.extend(raw.rules);
        data.accepted.extend(raw.accepted);
    }

    let names = resolve_entities(data, raw_entities, errors);
    let sources = resolve_sources(data, raw_sources, &names, errors);
    if let Some(keep) = filter {
        let shared: &Dataset = data;
        claim_files.par_iter_mut().for_each(|file| {
            let only_source = file.only_source.as_deref();
            file.claims.retain(|claim| {
                let text = shared.files.file(claim.header.file).text.as_str();
                let source = match (&claim.source, only_source) {
                    (Some(s), _) => sources.get(s.get(text)),
                    (None, only) => only.and_then(|o| sources.get(o)),
                };
                match (names.lookup(claim.subject.get(text)), source) {
                    (Some(subject), Some(source)) => {
                        keep(shared, claim.header.file, subject, source)
                    }
                    _ => true,
                }
            });
        });
    }
    let tables = Tables {
        names: &names,
        sources: &sources,
        properties: &properties,
    };
    resolve_claims(data, claim_files, &tables, errors);
    for rule in raw_rules {
        data.rules
            .push(resolve_rule(rule, &names, &sources, &properties, errors));
    }
    data.entity_names = names.names.into_iter().map(|(k, (v, _))| (k, v)).collect();
}

/// The claims of one file, and the file's only source (the default for `source`).
struct ClaimFile {
    only_source: Option<String>,
    claims: Vec<RawClaim>,
}

/// What a claim's references are looked up in.
struct Tables<'t> {
    names: &'t dyn FindEntity,
    sources: &'t IdTable<SourceIdx>,
    properties: &'t IdTable<PropertyIdx>,
}

fn resolve_entities(
    data: &mut Dataset,
    raw: Vec<RawEntity>,
    errors: &mut Vec<Diagnostic>,
) -> EntityNames {
    let mut names = EntityNames {
        ids: IdTable::new("entity"),
        names: NameMap::default(),
        spelling: NameMap::default(),
    };
    let mut kept = Vec::new();
    for entity in raw {
        let idx = EntityIdx(kept.len() as u32);
        if names.ids.insert(&entity.id, idx, errors) {
            kept.push(entity);
        }
    }
    // Names after all ids, so that an alias equal to another entity's id is caught.
    for (i, entity) in kept.iter().enumerate() {
        let idx = EntityIdx(i as u32);
        let id_as_name = Spanned {
            value: entity.id.value.clone(),
            span: entity.id.span,
        };
        for name in std::iter::once(&id_as_name)
            .chain(std::iter::once(&entity.name))
            .chain(&entity.aliases)
        {
            register_name(&mut names, &kept, name, idx, errors);
        }
    }
    for entity in kept {
        let part_of = entity.part_of.as_ref().and_then(|p| {
            let idx = names.resolve(&p.value, p.span, "part_of", errors)?;
            Some(Spanned {
                value: idx,
                span: p.span,
            })
        });
        let not_same_as = entity
            .not_same_as
            .iter()
            .filter_map(|n| {
                Some(Spanned {
                    value: names.resolve(&n.value, n.span, "not_same_as", errors)?,
                    span: n.span,
                })
            })
            .collect();
        data.entities.push(Entity {
            id: entity.id.value,
            span: entity.id.span,
            name: entity.name,
            kind: entity.kind,
            aliases: entity.aliases,
            part_of,
            not_same_as,
            note: entity.note,
        });
    }
    check_part_of_cycles(data, errors);
    names
}

fn register_name(
    names: &mut EntityNames,
    entities: &[RawEntity],
    name: &Spanned<String>,
    idx: EntityIdx,
    errors: &mut Vec<Diagnostic>,
) {
    let key = fold(&name.value);
    if key.is_empty() {
        return;
    }
    match names.names.entry(key.clone()) {
        Entry::Vacant(slot) => {
            slot.insert((idx, name.span));
            names.spelling.insert(key, name.value.clone());
        }
        Entry::Occupied(first) if first.get().0 != idx => {
            let other = &entities[first.get().0.index()].id.value;
            errors.push(
                Diagnostic::error(format!(
                    "the name `{}` belongs to two entities, `{}` and `{other}`",
                    name.value,
                    entities[idx.index()].id.value
                ))
                .with_primary(name.span, "used again here")
                .with_secondary(first.get().1, format!("already a name of `{other}`"))
                .with_help(
                    "claims could not tell which one is meant: keep the name on one entity only",
                ),
            );
        }
        Entry::Occupied(_) => {}
    }
}

/// `part_of` must form a forest: a cycle is an error, found without recursion so that long
/// chains cannot overflow the stack.
fn check_part_of_cycles(data: &Dataset, errors: &mut Vec<Diagnostic>) {
    // 0 = not visited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; data.entities.len()];
    for start in 0..data.entities.len() {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(i) = current {
            match state[i] {
                2 => break,
                1 => {
                    let cycle_start = path.iter().position(|&p| p == i).unwrap_or(0);
                    let cycle: Vec<usize> = path[cycle_start..].to_vec();
                    let names: Vec<&str> = cycle
                        .iter()
                        .map(|&c| data.entities[c].id.as_str())
                        .collect();
                    let first = &data.entities[cycle[0]];
                    let mut diag = Diagnostic::error(format!(
                        "`part_of` forms a cycle: {} → {}",
                        names.join(" → "),
                        names[0]
                    ));
                    if let Some(p) = &first.part_of {
                        diag = diag.with_primary(p.span, "this part_of closes the cycle");
                    }
                    errors.push(diag.with_help(
                        "an entity cannot be a part of itself, directly or through others",
                    ));
                    break;
                }
                _ => {
                    state[i] = 1;
                    path.push(i);
                    current = data.entities[i].part_of.as_ref().map(|p| p.value.index());
                }
            }
        }
        for p in path {
            state[p] = 2;
        }
    }
}

fn resolve_sources(
    data: &mut Dataset,
    raw: Vec<RawSource>,
    names: &EntityNames,
    errors: &mut Vec<Diagnostic>,
) -> IdTable<SourceIdx> {
    let mut ids = IdTable::new("source");
    let mut kept = Vec::new();
    for source in raw {
        if ids.insert(&source.id, SourceIdx(kept.len() as u32), errors) {
            kept.push(source);
        }
    }
    for source in kept {
        let party = source
            .party
            .as_ref()
            .and_then(|p| names.resolve(&p.value, p.span, "party", errors));
        let cites = source
            .cites
            .iter()
            .filter_map(|c| {
                Some(Spanned {
                    value: ids.resolve(&c.value, c.span, "cites", errors)?,
                    span: c.span,
                })
            })
            .collect();
        let text = source
            .text
            .as_ref()
            .and_then(|t| super::text::load_text(data, t, errors));
        data.sources.push(Source {
            id: source.id.value,
            span: source.id.span,
            title: source.title,
            publisher: source.publisher,
            author: source.author,
            url: source.url,
            language: source.language,
            note: source.note,
            published: source.published,
            kind: source.kind,
            party,
            grade: source.grade,
            cites,
            text,
        });
    }
    ids
}

fn resolve_claims(
    data: &mut Dataset,
    files: Vec<ClaimFile>,
    tables: &Tables<'_>,
    errors: &mut Vec<Diagnostic>,
) {
    // Each claim is resolved on its own (references, value, time), in parallel by file,
    // straight into its place in the data set's vector: one slot per raw claim, the vector
    // carved into a slice per file, so a claim is built once and never moved between vectors
    // (at 1M claims, moving them out of per-file vectors took 0.5 s on one thread). Ids are then
    // given and checked in file order, which keeps default ids and duplicate reports
    // independent of the thread count.
    let total = files.iter().map(|f| f.claims.len()).sum();
    let mut slots: Vec<Option<Claim>> = Vec::new();
    slots.resize_with(total, || None);
    let mut id_slots: Vec<Option<Span>> = vec![None; total];
    let mut work = Vec::with_capacity(files.len());
    let (mut claims_left, mut ids_left) = (&mut slots[..], &mut id_slots[..]);
    for file in files {
        let n = file.claims.len();
        let (claims_here, rest) = std::mem::take(&mut claims_left).split_at_mut(n);
        let (ids_here, ids_rest) = std::mem::take(&mut ids_left).split_at_mut(n);
        (claims_left, ids_left) = (rest, ids_rest);
        work.push((file, claims_here, ids_here));
    }
    let shared: &Dataset = data;
    let file_errors: Vec<Vec<Diagnostic>> = work
        .into_par_iter()
        .map(|(file, claims, ids)| resolve_file_claims(shared, file, tables, claims, ids))
        .collect();
    errors.extend(file_errors.into_iter().flatten());
    // A slot stays empty only for a claim that could not be resolved, which fails the load.
    // `Option<Claim>` is as large as `Claim`, so `filter_map` reuses the vector in place;
    // `flatten` would not (Rust 1.95), and would copy every claim into 300 MB more at 1M.
    #[allow(clippy::filter_map_identity)]
    let mut claims: Vec<Claim> = slots.into_iter().filter_map(|claim| claim).collect();
    let id_spans: Vec<Span> = id_slots.into_iter().flatten().collect();
    number_default_ids(data, claims.iter_mut());
    report_duplicate_claim_ids(&claims, &id_spans, errors);
    data.claims = claims;
}

/// Gives the claims that have no id in their file (`id_written` false) their default ids,
/// `<source>/<subject>.<property>`, numbered `~2`, `~3`… from the second claim with the same
/// base. `claims` must come in file order and hold every claim of their subjects.
pub(crate) fn number_default_ids<'c>(data: &Dataset, claims: impl Iterator<Item = &'c mut Claim>) {
    let mut counts: NameMap<u32> = NameMap::default();
    for claim in claims.filter(|c| !c.id_written) {
        let base = format!(
            "{}/{}.{}",
            data.sources[claim.source.index()].id,
            data.entities[claim.subject.value.index()].id,
            data.properties[claim.property.index()].id
        );
        let n = counts.entry(base.clone()).or_insert(0);
        *n += 1;
        claim.id = if *n == 1 { base } else { format!("{base}~{n}") };
    }
}

/// Resolves the claims of `files` against `data`, whose other records are resolved already
/// (a re-check's). Claims without an id in their file get theirs from [`number_default_ids`].
pub(crate) fn resolve_more_claims(
    data: &Dataset,
    files: Vec<RawFile>,
) -> Result<Vec<Claim>, Vec<Diagnostic>> {
    let sources = IdTable::of(
        "source",
        data.sources.iter().map(|s| (&s.id, s.span)),
        SourceIdx,
    );
    let properties = IdTable::of(
        "property",
        data.properties.iter().map(|p| (&p.id, p.span)),
        PropertyIdx,
    );
    let tables = Tables {
        names: &data.entity_names,
        sources: &sources,
        properties: &properties,
    };
    let mut errors = Vec::new();
    let mut claims = Vec::new();
    for raw in files {
        let only_source = (raw.sources.len() == 1).then(|| raw.sources[0].id.value.as_str());
        for claim in raw.claims {
            let resolved = resolve_claim(data, claim, only_source, &tables, &mut errors);
            claims.extend(resolved.map(|r| r.claim));
        }
    }
    if errors.is_empty() {
        Ok(claims)
    } else {
        Err(errors)
    }
}

/// Claim ids must be unique. Found by sorting rather than hashing a million ids one at a time:
/// equal ids end up side by side, the first defined (in file order) first. Any duplicate fails
/// the load, so the claims need not be removed.
fn report_duplicate_claim_ids(claims: &[Claim], id_spans: &[Span], errors: &mut Vec<Diagnostic>) {
    let mut order: Vec<u32> = (0..claims.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| {
        claims[a as usize]
            .id
            .cmp(&claims[b as usize].id)
            .then(a.cmp(&b))
    });
    for run in order.chunk_by(|&a, &b| claims[a as usize].id == claims[b as usize].id) {
        let first = run[0] as usize;
        for &again in &run[1..] {
            errors.push(duplicate_id(
                "claim",
                &claims[again as usize].id,
                id_spans[again as usize],
                id_spans[first],
            ));
        }
    }
}

/// Resolves a file's claims into their slots, freeing the raw records as it goes: at no time
/// does the loader hold a data set's raw claims and its resolved claims whole. Returns what
/// was wrong with the claims whose slots stay empty.
fn resolve_file_claims(
    data: &Dataset,
    file: ClaimFile,
    tables: &Tables<'_>,
    claims: &mut [Option<Claim>],
    id_spans: &mut [Option<Span>],
) -> Vec<Diagnostic> {
    let only_source = file.only_source.as_deref();
    let mut errors = Vec::new();
    let slots = claims.iter_mut().zip(id_spans);
    for (raw, (claim, id_span)) in file.claims.into_iter().zip(slots) {
        if let Some(resolved) = resolve_claim(data, raw, only_source, tables, &mut errors) {
            *claim = Some(resolved.claim);
            *id_span = Some(resolved.id_span);
        }
    }
    errors
}

/// A claim with every reference and its value resolved, still without its id when the file
/// gave none (default ids are numbered in file order), and where its id is (its header when
/// it has none).
struct ResolvedClaim {
    claim: Claim,
    id_span: Span,
}

/// Resolves one claim (`None` when it cannot be), reporting everything that is wrong with it.
fn resolve_claim(
    data: &Dataset,
    claim: RawClaim,
    only_source: Option<&str>,
    tables: &Tables<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<ResolvedClaim> {
    let text = data.files.file(claim.header.file).text.as_str();
    let source = match (&claim.source, only_source) {
        (Some(s), _) => tables
            .sources
            .resolve(s.get(text), s.span, "source", errors),
        (None, Some(only)) => tables.sources.get(only),
        (None, None) => {
            errors.push(
                Diagnostic::error("this claim does not say which source it comes from")
                    .with_primary(claim.header, "no `source` here")
                    .with_help("add `source = \"<source id>\"`; it may be left out only in a file with exactly one [[source]]"),
            );
            None
        }
    };
    let subject = claim.subject.get(text);
    let subject = tables
        .names
        .resolve(subject, claim.subject.span, "subject", errors);
    let property = claim.property.get(text);
    let property = tables
        .properties
        .resolve(property, claim.property.span, "property", errors);
    let according_to = claim.according_to.as_ref().and_then(|a| {
        Some(Spanned {
            value: tables
                .sources
                .resolve(a.get(text), a.span, "according_to", errors)?,
            span: a.span,
        })
    });
    let (Some(source), Some(subject), Some(property)) = (source, subject, property) else {
        return None;
    };
    let value = read_value(data, property, &claim.value, text, tables.names, errors)?;
    let (as_of, as_of_span) = claim_time(data, &claim, source, according_to.as_ref());
    let owned = |s: &Option<RawStr>| s.as_ref().map(|s| s.get(text).to_string());
    let resolved = ResolvedClaim {
        claim: Claim {
            id_written: claim.id.is_some(),
            id: owned(&claim.id).unwrap_or_default(),
            span: claim.header,
            source,
            subject: Spanned {
                value: subject,
                span: claim.subject.span,
            },
            property,
            value,
            value_text: Spanned {
                value: raw_text(&claim.value.value, text),
                span: claim.value.span,
            },
            as_of,
            as_of_span,
            scope: claim
                .scope
                .as_ref()
                .map(|s| fold(s.get(text)))
                .unwrap_or_default(),
            according_to,
            status: claim.status,
            quote: claim.quote.as_ref().map(|q| q.to_spanned(text)),
            quote_start: claim.quote.as_ref().and_then(RawStr::verbatim_start),
            locator: owned(&claim.locator),
            note: owned(&claim.note),
        },
        id_span: claim.id.map_or(claim.header, |id| id.span),
    };
    Some(resolved)
}

/// When the claim's value held: its own `as_of`, else the publication date of the source it
/// relays (a figure relayed from a report is as of that report), else of its own source.
fn claim_time(
    data: &Dataset,
    claim: &RawClaim,
    source: SourceIdx,
    according_to: Option<&Spanned<SourceIdx>>,
) -> (Option<DayRange>, Option<Span>) {
    if let Some(as_of) = &claim.as_of {
        return (Some(as_of.value), Some(as_of.span));
    }
    let from = according_to
        .and_then(|a| data.sources[a.value.index()].published.as_ref())
        .or(data.sources[source.index()].published.as_ref());
    (from.map(|p| p.value), from.map(|p| p.span))
}

/// The value as written, for reports.
fn raw_text(value: &RawValue, text: &str) -> String {
    match value {
        RawValue::String(s) => s.get(text).to_string(),
        RawValue::Number(n) => crate::value::format_number(*n),
        RawValue::Date(d) => d.to_string(),
        RawValue::Array(items) => {
            let parts: Vec<String> = items.iter().map(|i| raw_text(&i.value, text)).collect();
            format!("[{}]", parts.join(", "))
        }
    }
}

/// Reads a claim's value by its property's type; `text` is the claim's file's.
fn read_value(
    data: &Dataset,
    property: PropertyIdx,
    raw: &Spanned<RawValue>,
    text: &str,
    names: &dyn FindEntity,
    errors: &mut Vec<Diagnostic>,
) -> Option<Value> {
    let prop = &data.properties[property.index()];
    let settings = &data.settings.values;
    let result = match (&raw.value, prop.ty) {
        (RawValue::Number(n), PropertyType::Quantity) => {
            Ok(Value::Quantity(crate::value::Interval::exact(*n)))
        }
        (RawValue::String(s), PropertyType::Quantity) => parse_quantity(s.get(text), settings)
            .map(Value::Quantity)
            .map_err(|e| value_error(s, text, &e)),
        (RawValue::Date(d), PropertyType::Date) => Ok(Value::Date(*d)),
        (RawValue::String(s), PropertyType::Date) => parse_period(s.get(text))
            .map(Value::Date)
            .map_err(|e| value_error(s, text, &e)),
        (RawValue::String(s), PropertyType::Entity) => {
            return names
                .resolve(s.get(text), raw.span, "value", errors)
                .map(Value::Entity);
        }
        (RawValue::String(s), PropertyType::Text) => Ok(Value::Text(fold(s.get(text)))),
        (RawValue::String(s), PropertyType::Set) if fold(s.get(text)) == "none" => {
            Ok(Value::Set(Vec::new()))
        }
        (RawValue::String(s), PropertyType::Set) => {
            Ok(Value::Set(vec![set_item(names, s.get(text))]))
        }
        (RawValue::Array(items), PropertyType::Set) => {
            let mut set = Vec::with_capacity(items.len());
            for item in items {
                match &item.value {
                    RawValue::String(s) => set.push(set_item(names, s.get(text))),
                    _ => errors.push(
                        Diagnostic::error(format!(
                            "the members of set property `{}` must be strings",
                            prop.id
                        ))
                        .with_primary(item.span, "not a string"),
                    ),
                }
            }
            set.sort();
            set.dedup();
            Ok(Value::Set(set))
        }
        (_, ty) => Err(Diagnostic::error(format!(
            "property `{}` is of type `{}`, which this value cannot be",
            prop.id,
            type_word(ty)
        ))
        .with_primary(raw.span, expected_for(ty))
        .with_secondary(prop.span, format!("`{}` is declared here", prop.id))),
    };
    result.map_err(|e| errors.push(e)).ok()
}

fn expected_for(ty: PropertyType) -> &'static str {
    match ty {
        PropertyType::Quantity => "expected a number or a string such as \"2,500–6,000\"",
        PropertyType::Date => "expected a date such as 2022-07-31 or \"July 2020\"",
        PropertyType::Entity => "expected the id or a name of an entity",
        PropertyType::Set => "expected a list such as [\"Kunar\", \"Nuristan\"]",
        PropertyType::Text => "expected a string",
    }
}

fn set_item(names: &dyn FindEntity, text: &str) -> SetItem {
    match names.lookup(text) {
        Some(idx) => SetItem::Entity(idx),
        None => SetItem::Text(fold(text)),
    }
}

/// A value that its property's type cannot read: pointing at the place inside the string
/// where the file holds it verbatim.
fn value_error(value: &RawStr, text: &str, err: &ValueError) -> Diagnostic {
    let span = value.span;
    let inner = match value.verbatim_start() {
        Some(start) => Span {
            file: span.file,
            start: start + err.offset as u32,
            end: start + (err.offset + err.len) as u32,
        },
        None => span,
    };
    let mut diag = Diagnostic::error(format!(
        "cannot read the value {:?}: expected {}",
        value.get(text),
        err.expected
    ))
    .with_primary(inner, format!("expected {}", err.expected));
    if let Some(note) = &err.note {
        diag = diag.with_note(note.clone());
    }
    diag
}

fn resolve_rule(
    rule: RawRule,
    names: &EntityNames,
    sources: &IdTable<SourceIdx>,
    properties: &IdTable<PropertyIdx>,
    errors: &mut Vec<Diagnostic>,
) -> RuleRecord {
    let selector = Selector {
        subjects: rule
            .subjects
            .iter()
            .filter_map(|s| names.resolve(&s.value, s.span, "where.subject", errors))
            .collect(),
        properties: rule
            .properties
            .iter()
            .filter_map(|p| properties.resolve(&p.value, p.span, "where.property", errors))
            .collect(),
        sources: rule
            .sources
            .iter()
            .filter_map(|s| sources.resolve(&s.value, s.span, "where.source", errors))
            .collect(),
    };
    RuleRecord {
        id: rule.id,
        kind: rule.kind,
        severity: rule.severity,
        selector,
        params: rule.params,
    }
}
