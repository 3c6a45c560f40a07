//! `single-origin`: several sources agree on a figure, but all of them trace back, through
//! `according_to` and `cites`, to one origin. Their agreement is one report repeated, not
//! independent corroboration.
//!
//! Origins of a source: itself when it is `primary` or cites nothing; else the union of the
//! origins of what it cites (a primary source's own `cites` are not followed: it originates
//! what it says). Origins of a claim: those of its `according_to` source when it has one (and it
//! is not its own source), else those of its own source.
//!
//! Origins are computed once for all sources on the strongly connected components of the
//! citation graph (iterative Tarjan, then the components in reverse topological order), so a
//! citation circle neither hangs nor recurses: sources that cite each other share the origins of
//! what the circle cites outside itself, and a circle that cites nothing outside itself is its
//! own origin (each of its sources). Only "one origin" matters, so an origin set is kept as
//! none / one source / several: O(sources + cites). Each source also keeps its next step
//! towards its single origin, for the chain shown in the notes.
//!
//! Claims are grouped per series: into connected same-time groups (SPEC 4: the `window` for
//! levels, the same days for counts, always for dates), then, within a group, into runs of
//! mutually compatible values (quantity intervals and dates that all share a point after
//! widening by `tolerance`, found by one sweep in order of lower bound; equal values for other
//! types). A run whose claims come from two or more sources and whose origins are all one
//! source is reported once, listing its claims. Denied claims take no part. O(n log n) per
//! series.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use super::graph::{Link, strongly_connected, time_clusters};
use super::part_exceeds_whole::exceeds;
use crate::engine::series::{Series, claim_label, series_name};
use crate::engine::{Context, Finding, Involved, RuleConfig};
use crate::model::{
    ClaimIdx, Dataset, Measure, PropertyType, Severity, SourceIdx, SourceKind, Status, Value,
};
use crate::value::{Bound, Interval};

/// The origins of a source, as far as this rule needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    None,
    One(u32),
    Several,
}

impl Origin {
    fn merge(self, other: Origin) -> Origin {
        match (self, other) {
            (Origin::None, o) | (o, Origin::None) => o,
            (Origin::One(a), Origin::One(b)) if a == b => Origin::One(a),
            _ => Origin::Several,
        }
    }
}

/// Every source's origin, and its next step towards it.
pub(crate) struct Origins {
    pub(crate) origin: Vec<Origin>,
    next: Vec<Option<u32>>,
    /// How many steps `next` takes to the origin.
    steps: Vec<u32>,
}

/// The citation graph origins follow: each source's distinct `cites`, none for a primary source.
pub(crate) fn successors(data: &Dataset) -> Vec<Vec<u32>> {
    data.sources
        .iter()
        .map(|s| {
            if s.kind == SourceKind::Primary {
                return Vec::new();
            }
            let mut seen = HashSet::new();
            s.cites
                .iter()
                .map(|c| c.value.0)
                .filter(|&t| seen.insert(t))
                .collect()
        })
        .collect()
}

pub(crate) fn origins(data: &Dataset) -> Origins {
    let n = data.sources.len();
    let succ = successors(data);
    let mut origin = vec![Origin::None; n];
    let mut next: Vec<Option<u32>> = vec![None; n];
    let mut steps = vec![0u32; n];
    let mut component_of = vec![u32::MAX; n];
    for (k, component) in strongly_connected(&succ).into_iter().enumerate() {
        for &s in &component {
            component_of[s as usize] = k as u32;
        }
        let inside = |t: u32| component_of[t as usize] == k as u32;
        if component.len() == 1 && succ[component[0] as usize].is_empty() {
            origin[component[0] as usize] = Origin::One(component[0]);
            continue;
        }
        // Components come sinks first, so every target outside is already done.
        let mut o = Origin::None;
        for &s in &component {
            for &t in &succ[s as usize] {
                if !inside(t) {
                    o = o.merge(origin[t as usize]);
                }
            }
        }
        if o == Origin::None {
            o = if component.len() == 1 {
                Origin::One(component[0])
            } else {
                Origin::Several
            };
        }
        for &s in &component {
            origin[s as usize] = o;
        }
        let Origin::One(target) = o else { continue };
        if target == component[0] && component.len() == 1 {
            continue;
        }
        // Steps: first out of the component towards the origin, then, inside it, backwards
        // from the sources that have a step, breadth first.
        let mut queue = VecDeque::new();
        for &s in &component {
            if let Some(&t) = succ[s as usize]
                .iter()
                .find(|&&t| !inside(t) && origin[t as usize] == o)
            {
                next[s as usize] = Some(t);
                steps[s as usize] = steps[t as usize] + 1;
                queue.push_back(s);
            }
        }
        let mut pred: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for &s in &component {
            for &t in &succ[s as usize] {
                if inside(t) {
                    pred.entry(t).or_default().push(s);
                }
            }
        }
        while let Some(t) = queue.pop_front() {
            for &s in pred.get(&t).map_or(&[][..], Vec::as_slice) {
                if next[s as usize].is_none() {
                    next[s as usize] = Some(t);
                    steps[s as usize] = steps[t as usize] + 1;
                    queue.push_back(s);
                }
            }
        }
    }
    Origins {
        origin,
        next,
        steps,
    }
}

impl Origins {
    /// `kp-2024 → lwj-2023 → un-32nd`, from `start` to its single origin; a long chain shows
    /// its first steps and the origin, so the walk is short whatever the chain's length.
    fn chain(&self, data: &Dataset, start: &[u32]) -> String {
        const SHOWN: u32 = 6;
        let id = |s: u32| data.sources[s as usize].id.as_str();
        let mut ids: Vec<&str> = start.iter().map(|&s| id(s)).collect();
        let mut at = *start.last().expect("a start");
        let total = start.len() as u32 - 1 + self.steps[at as usize];
        if total <= SHOWN + 2 {
            while let Some(t) = self.next[at as usize] {
                ids.push(id(t));
                at = t;
            }
            return ids.join(" → ");
        }
        while (ids.len() as u32) <= SHOWN {
            let Some(t) = self.next[at as usize] else {
                break;
            };
            ids.push(id(t));
            at = t;
        }
        let origin = match self.origin[at as usize] {
            Origin::One(o) => id(o),
            _ => "?",
        };
        format!("{} → … → {origin} ({total} links)", ids.join(" → "))
    }
}

/// Where a claim's information comes from: the source it names with `according_to`, else its
/// own source; and the chain's first steps.
pub(crate) fn claim_start(data: &Dataset, c: ClaimIdx) -> (u32, Vec<u32>) {
    let claim = data.claim(c);
    match &claim.according_to {
        Some(a) if a.value != claim.source => (a.value.0, vec![claim.source.0, a.value.0]),
        Some(_) => (claim.source.0, vec![claim.source.0]),
        None => (claim.source.0, vec![claim.source.0]),
    }
}

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let origins = origins(data);
    ctx.for_each_series(out, |series, out| {
        let claims: Vec<ClaimIdx> = series
            .claims
            .iter()
            .copied()
            .filter(|&c| data.claim(c).status != Status::Denied && ctx.selects(rule, c))
            .collect();
        if claims.len() < 2 {
            return;
        }
        let property = data.property(series.property);
        let link = match (property.ty, property.measure) {
            (PropertyType::Date, _) => Link::Always,
            (PropertyType::Quantity, Measure::Count) => Link::Identical,
            _ => Link::Window(rule.params.window_days),
        };
        for cluster in time_clusters(data, &claims, link) {
            for run in agreeing_runs(data, &cluster, rule.params.tolerance) {
                check_run(data, &origins, series, &run, out);
            }
        }
    });
}

/// A value as an interval, for grouping: quantities as they are, dates as day numbers.
fn as_interval(value: &Value, tolerance: f64) -> Option<Interval> {
    match value {
        Value::Quantity(i) => Some(i.widened(tolerance)),
        Value::Date(d) => Some(Interval::closed(f64::from(d.first.0), f64::from(d.last.0))),
        _ => None,
    }
}

/// Splits claims into runs of mutually compatible values. Intervals: sorted by lower bound,
/// a claim joins the run while its lower bound is not above the tightest upper bound so far
/// (then all the run's intervals share a point). Other values: equal values.
fn agreeing_runs(data: &Dataset, claims: &[ClaimIdx], tolerance: f64) -> Vec<Vec<ClaimIdx>> {
    let mut intervals: Vec<(Interval, ClaimIdx)> = Vec::new();
    let mut others: BTreeMap<String, Vec<ClaimIdx>> = BTreeMap::new();
    for &c in claims {
        let value = &data.claim(c).value;
        match as_interval(value, tolerance) {
            Some(i) => intervals.push((i, c)),
            None => others.entry(format!("{value:?}")).or_default().push(c),
        }
    }
    let key = |b: Bound| match b {
        Bound::Unbounded => (f64::NEG_INFINITY, 0u8),
        Bound::Closed(v) => (v, 0),
        Bound::Open(v) => (v, 1),
    };
    intervals.sort_by(|a, b| {
        let (ka, kb) = (key(a.0.low), key(b.0.low));
        ka.0.total_cmp(&kb.0)
            .then(ka.1.cmp(&kb.1))
            .then(a.1.cmp(&b.1))
    });
    let mut runs: Vec<Vec<ClaimIdx>> = Vec::new();
    let mut tightest = Bound::Unbounded;
    for (i, c) in intervals {
        let joins = !runs.is_empty() && !exceeds(i.low, tightest);
        if joins {
            runs.last_mut().expect("a run").push(c);
            tightest = tighter(tightest, i.high);
        } else {
            runs.push(vec![c]);
            tightest = i.high;
        }
    }
    runs.extend(others.into_values());
    for run in &mut runs {
        run.sort();
    }
    runs
}

/// The tighter of two upper ends.
fn tighter(a: Bound, b: Bound) -> Bound {
    match (a, b) {
        (Bound::Unbounded, x) | (x, Bound::Unbounded) => x,
        (x, y) => {
            let (vx, vy) = (
                x.value().unwrap_or(f64::INFINITY),
                y.value().unwrap_or(f64::INFINITY),
            );
            if vx < vy || (vx == vy && matches!(x, Bound::Open(_))) {
                x
            } else {
                y
            }
        }
    }
}

fn check_run(
    data: &Dataset,
    origins: &Origins,
    series: &Series,
    run: &[ClaimIdx],
    out: &mut Vec<Finding>,
) {
    let sources: BTreeSet<SourceIdx> = run.iter().map(|&c| data.claim(c).source).collect();
    if sources.len() < 2 {
        return;
    }
    let mut origin = Origin::None;
    for &c in run {
        let (start, _) = claim_start(data, c);
        origin = origin.merge(origins.origin[start as usize]);
        if origin == Origin::Several {
            return;
        }
    }
    let Origin::One(o) = origin else { return };
    let origin_id = &data.sources[o as usize].id;
    // The relaying claims first, the origin's own claims after them.
    let mut ordered: Vec<ClaimIdx> = run
        .iter()
        .copied()
        .filter(|&c| data.claim(c).source.0 != o)
        .collect();
    ordered.extend(run.iter().copied().filter(|&c| data.claim(c).source.0 == o));
    // Each different value once, as first written: "from 4,000 to 6,000" and "4,000–6,000"
    // are one value, "2,000–6,000" another.
    // (At most four are kept: the message shows three.)
    let mut values: Vec<(&Value, &str)> = Vec::new();
    for &c in &ordered {
        let claim = data.claim(c);
        if values.len() < 4 && !values.iter().any(|(v, _)| **v == claim.value) {
            values.push((&claim.value, claim.value_text.value.as_str()));
        }
    }
    let values: Vec<&str> = values.into_iter().map(|(_, text)| text).collect();
    let shown = match values.len() {
        1 => values[0].to_string(),
        2 | 3 => format!("{} (also given as {})", values[0], values[1..].join(", ")),
        _ => format!(
            "{} (also given as {}, …)",
            values[0],
            values[1..3].join(", ")
        ),
    };
    let name = series_name(data, series.subject, series.property, &series.scope);
    let mut f = Finding::new(
        "single-origin",
        Severity::Info,
        format!(
            "{name} {shown} is reported by {} sources that all trace back to {origin_id}",
            sources.len()
        ),
    );
    // One note per different chain, the first few of them.
    const CHAINS_SHOWN: usize = 8;
    let mut chains: Vec<String> = Vec::new();
    let mut seen: HashSet<Vec<u32>> = HashSet::new();
    let mut more = 0;
    for &c in &ordered {
        f = f.claim(c, claim_label(data, c));
        let (_, start) = claim_start(data, c);
        if !seen.insert(start.clone()) {
            continue;
        }
        if chains.len() == CHAINS_SHOWN {
            more += 1;
            continue;
        }
        let chain = origins.chain(data, &start);
        chains.push(if chain == *origin_id {
            format!("{origin_id} (the origin itself)")
        } else {
            chain
        });
    }
    f.sources
        .push(Involved::new(SourceIdx(o), "the one origin"));
    for chain in chains {
        f = f.note(format!("chain: {chain}"));
    }
    if more > 0 {
        f = f.note(format!("and {more} more chains to {origin_id}"));
    }
    out.push(f.note(format!(
        "their agreement repeats {origin_id}: it is not independent corroboration"
    )));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_merge() {
        assert_eq!(Origin::None.merge(Origin::One(3)), Origin::One(3));
        assert_eq!(Origin::One(3).merge(Origin::One(3)), Origin::One(3));
        assert_eq!(Origin::One(3).merge(Origin::One(4)), Origin::Several);
        assert_eq!(Origin::Several.merge(Origin::None), Origin::Several);
    }

    #[test]
    fn tighter_upper_ends() {
        assert_eq!(
            tighter(Bound::Unbounded, Bound::Closed(5.0)),
            Bound::Closed(5.0)
        );
        assert_eq!(
            tighter(Bound::Closed(5.0), Bound::Open(5.0)),
            Bound::Open(5.0)
        );
        assert_eq!(
            tighter(Bound::Closed(4.0), Bound::Open(5.0)),
            Bound::Closed(4.0)
        );
    }
}
