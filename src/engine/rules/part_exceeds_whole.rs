//! `part-exceeds-whole`: a part bigger than its whole. Three checks:
//!
//! 1. **A part above its whole.** For an `additive` quantity, a claim about a part whose lower
//!    bound lies above the upper bound of a claim about its whole, at the same time, through
//!    `part_of` transitively (a part of a part of W is a part of W). For a `count` property,
//!    "at the same time" means the part's period lies inside the whole's (a count over a
//!    sub-period of a part is no bigger than the whole's over the period).
//! 2. **Parts summed above the whole.** The direct parts of one whole, each taken at the lowest
//!    lower bound among its claims at the whole claim's time (the most lenient sum), add up to
//!    more than the whole's upper bound. Only when two or more parts have figures, and only
//!    when no single part is already above the whole (check 1 reports that).
//! 3. **A sub-period above its period.** For any `count` quantity, within one series, a count
//!    over a period strictly inside another claim's period whose lower bound is above that
//!    claim's upper bound.
//!
//! Why the algorithm looks the way it does:
//! - Ancestors: for each (property, scope), the entities with claims form a set K. Each entity's
//!   nearest proper ancestor in K is found by walking up `part_of` with a memo shared by the
//!   whole walk (every entity is passed at most once per property and scope), so a 100,000-link
//!   chain costs linear time and no recursion. A part is then compared with at most
//!   [`MAX_ANCESTORS`] of its nearest ancestors that have claims: without a cap, a chain in which
//!   every link has claims would make the comparisons quadratic.
//! - Part against whole: only the whole's claims that can be at the same time as some part
//!   claim are taken (a binary search on the whole's time-ordered series, widened by its longest
//!   period), split into connected same-time groups, and in each group the part claims (by lower
//!   bound, highest first) and the whole claims (by upper bound, lowest first) are scanned with
//!   an early exit, so claims that all speak of one time cost O(n log n), not every pair.
//! - Sub-periods: the claims are folded into their distinct periods, swept in order of first
//!   day with the set of periods still open; periods joined by an excess are grouped with a
//!   union-find so each tangle is reported once.
//!
//! Denied claims are not figures and take no part. The rule's `where` selects the claim that
//! carries the point (the part, the whole that the parts exceed, the sub-period count); the
//! claims it is compared with are taken whatever the selector.

use super::union_find::UnionFind;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use super::graph::{Link, time_clusters};
use crate::engine::series::{Series, claim_label, describe_time};
use crate::engine::{Context, Finding, Involved, RuleConfig};
use crate::model::{
    Claim, ClaimIdx, Dataset, EntityIdx, Measure, PropertyIdx, PropertyType, Status, Value,
};
use crate::value::{Bound, DayRange, Interval, format_number};

/// How many ancestors with claims a part is compared with, nearest first.
pub const MAX_ANCESTORS: usize = 32;

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let mut additive: BTreeMap<(PropertyIdx, &str), BTreeMap<EntityIdx, Prepared<'_>>> =
        BTreeMap::new();
    for series in &ctx.series {
        let property = data.property(series.property);
        if property.ty != PropertyType::Quantity {
            continue;
        }
        if property.measure == Measure::Count {
            sub_periods(ctx, rule, series, out);
        }
        if property.additive {
            additive
                .entry((series.property, series.scope.as_str()))
                .or_default()
                .insert(series.subject, Prepared::new(data, series));
        }
    }
    if additive.is_empty() {
        return;
    }
    let mut children: Vec<Vec<EntityIdx>> = vec![Vec::new(); data.entities.len()];
    for (i, e) in data.entities.iter().enumerate() {
        if let Some(p) = &e.part_of {
            children[p.value.index()].push(EntityIdx(i as u32));
        }
    }
    for ((property, _), subjects) in &additive {
        let link = match data.property(*property).measure {
            Measure::Level => Link::Window(rule.params.window_days),
            Measure::Count => Link::Overlap,
        };
        let nearest = nearest_claimed_ancestors(data, subjects);
        for (&part, prepared) in subjects {
            let mut ancestor = nearest.get(&part).copied().flatten();
            let mut compared = 0;
            while let Some(whole) = ancestor {
                if compared == MAX_ANCESTORS {
                    break;
                }
                part_against_whole(ctx, rule, link, prepared, &subjects[&whole], out);
                compared += 1;
                ancestor = nearest.get(&whole).copied().flatten();
            }
        }
        for (&whole, prepared) in subjects {
            let parts: Vec<&Prepared<'_>> = children[whole.index()]
                .iter()
                .filter_map(|c| subjects.get(c))
                .collect();
            if parts.len() >= 2 {
                parts_summed(ctx, rule, prepared, &parts, out);
            }
        }
    }
}

/// One series' usable claims: not denied, in the series' time order (undated first).
struct Prepared<'a> {
    series: &'a Series,
    claims: Vec<ClaimIdx>,
    undated: usize,
    /// The longest period among the dated claims, in days.
    longest: i64,
    /// Claims with a finite lower bound, lowest first.
    by_low: Vec<ClaimIdx>,
}

impl<'a> Prepared<'a> {
    fn new(data: &Dataset, series: &'a Series) -> Prepared<'a> {
        let claims: Vec<ClaimIdx> = series
            .claims
            .iter()
            .copied()
            .filter(|&c| {
                data.claim(c).status != Status::Denied && interval(data.claim(c)).is_some()
            })
            .collect();
        let undated = claims
            .iter()
            .take_while(|&&c| data.claim(c).as_of.is_none())
            .count();
        let longest = claims[undated..]
            .iter()
            .filter_map(|&c| data.claim(c).as_of)
            .map(|t| i64::from(t.last.0 - t.first.0))
            .max()
            .unwrap_or(0);
        let mut by_low: Vec<ClaimIdx> = claims
            .iter()
            .copied()
            .filter(|&c| low_of(data, c).value().is_some())
            .collect();
        by_low.sort_by(|&a, &b| {
            low_key(low_of(data, a))
                .total_cmp_pair(&low_key(low_of(data, b)))
                .then(a.cmp(&b))
        });
        Prepared {
            series,
            claims,
            undated,
            longest,
            by_low,
        }
    }

    fn entity(&self) -> EntityIdx {
        self.series.subject
    }

    /// The claims that may be at the same time as some claim dated within `first..=last`
    /// (`None`: an undated claim is involved, so every claim may be): the undated claims and a
    /// binary-searched slice of the dated ones, widened by `reach` days and the longest period.
    fn near_in_time(&self, data: &Dataset, range: Option<(i64, i64)>, reach: i64) -> Vec<ClaimIdx> {
        let Some((first, last)) = range else {
            return self.claims.clone();
        };
        let dated = &self.claims[self.undated..];
        let start_of = |c: &ClaimIdx| i64::from(data.claim(*c).as_of.map_or(0, |t| t.first.0));
        let from = dated.partition_point(|c| start_of(c) <= first - reach - self.longest);
        let to = dated.partition_point(|c| start_of(c) < last + reach);
        let mut out = self.claims[..self.undated].to_vec();
        if from < to {
            out.extend_from_slice(&dated[from..to]);
        }
        out
    }
}

/// For every entity with claims, its nearest proper ancestor that also has claims. Walks up
/// `part_of` iteratively; entities passed on the way (which have no claims) remember the answer,
/// so every entity is walked through at most once.
fn nearest_claimed_ancestors<T>(
    data: &Dataset,
    claimed: &BTreeMap<EntityIdx, T>,
) -> HashMap<EntityIdx, Option<EntityIdx>> {
    let mut passed: HashMap<EntityIdx, Option<EntityIdx>> = HashMap::new();
    let mut nearest = HashMap::new();
    let parent = |e: EntityIdx| data.entity(e).part_of.as_ref().map(|p| p.value);
    for &start in claimed.keys() {
        let mut path = Vec::new();
        let mut current = parent(start);
        let found = loop {
            let Some(e) = current else { break None };
            if claimed.contains_key(&e) {
                break Some(e);
            }
            if let Some(&known) = passed.get(&e) {
                break known;
            }
            path.push(e);
            current = parent(e);
        };
        for e in path {
            passed.insert(e, found);
        }
        nearest.insert(start, found);
    }
    nearest
}

fn interval(claim: &Claim) -> Option<Interval> {
    match claim.value {
        Value::Quantity(i) => Some(i),
        _ => None,
    }
}

fn low_of(data: &Dataset, c: ClaimIdx) -> Bound {
    interval(data.claim(c)).map_or(Bound::Unbounded, |i| i.low)
}

fn high_of(data: &Dataset, c: ClaimIdx) -> Bound {
    interval(data.claim(c)).map_or(Bound::Unbounded, |i| i.high)
}

/// Whether every number above lower end `low` is above every number below upper end `high`:
/// a part that is at least `low` cannot fit in a whole that is at most `high`.
pub fn exceeds(low: Bound, high: Bound) -> bool {
    match (low, high) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
        (Bound::Closed(l), Bound::Closed(h)) => l > h,
        (l, h) => l.value() >= h.value(),
    }
}

/// Orders lower ends from weakest to strongest: by value, an open end (`more than 100`) after
/// a closed one at the same value.
fn low_key(b: Bound) -> (f64, u8) {
    match b {
        Bound::Unbounded => (f64::NEG_INFINITY, 0),
        Bound::Closed(v) => (v, 0),
        Bound::Open(v) => (v, 1),
    }
}

/// Orders upper ends from tightest to loosest: by value, an open end (`less than 100`) before
/// a closed one at the same value.
fn high_key(b: Bound) -> (f64, u8) {
    match b {
        Bound::Unbounded => (f64::INFINITY, 1),
        Bound::Closed(v) => (v, 1),
        Bound::Open(v) => (v, 0),
    }
}

trait PairCmp {
    fn total_cmp_pair(&self, other: &Self) -> Ordering;
}

impl PairCmp for (f64, u8) {
    fn total_cmp_pair(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// "14,000", "more than 100", "at most 6,500": a bound in words.
fn describe_low(b: Bound) -> String {
    match b {
        Bound::Closed(v) => format_number(v),
        Bound::Open(v) => format!("more than {}", format_number(v)),
        Bound::Unbounded => "no lower bound".into(),
    }
}

fn describe_high(b: Bound) -> String {
    match b {
        Bound::Closed(v) => format_number(v),
        Bound::Open(v) => format!("less than {}", format_number(v)),
        Bound::Unbounded => "no upper bound".into(),
    }
}

/// Whether a part's claim and a whole's claim speak of comparable times: an undated claim
/// always does; a count when the part's period lies inside the whole's; a level when the
/// periods are less than the window apart.
fn applies(data: &Dataset, link: Link, part: ClaimIdx, whole: ClaimIdx) -> bool {
    let (Some(p), Some(w)) = (data.claim(part).as_of, data.claim(whole).as_of) else {
        return true;
    };
    match link {
        Link::Window(days) => p.gap_days(&w) < days,
        _ => w.contains(&p),
    }
}

fn reach_of(link: Link) -> i64 {
    match link {
        Link::Window(days) => i64::from(days.max(1)),
        _ => 1,
    }
}

/// The span of time of some claims: `None` when one is undated (it reaches every time).
fn time_range(data: &Dataset, claims: &[ClaimIdx]) -> Option<(i64, i64)> {
    let mut range: Option<(i64, i64)> = None;
    for &c in claims {
        let t = data.claim(c).as_of?;
        let (f, l) = (i64::from(t.first.0), i64::from(t.last.0));
        range = Some(range.map_or((f, l), |(a, b)| (a.min(f), b.max(l))));
    }
    range
}

fn property_phrase(data: &Dataset, series: &Series) -> String {
    let mut p = data.property(series.property).id.clone();
    if !series.scope.is_empty() {
        p.push_str(&format!(" ({})", series.scope));
    }
    p
}

/// `mehsud-tribe → ttp`, with the middle elided when the chain is long.
fn chain(data: &Dataset, part: EntityIdx, whole: EntityIdx) -> String {
    let mut ids = vec![data.entity(part).id.as_str()];
    let mut current = part;
    while current != whole {
        match &data.entity(current).part_of {
            Some(p) => current = p.value,
            None => break,
        }
        ids.push(data.entity(current).id.as_str());
    }
    if ids.len() > 8 {
        let n = ids.len() - 1;
        format!(
            "{} → … → {} ({n} links)",
            ids[..3].join(" → "),
            ids[ids.len() - 3..].join(" → ")
        )
    } else {
        ids.join(" → ")
    }
}

/// The part entity, pointed at its `part_of`.
fn part_entity(data: &Dataset, part: EntityIdx) -> Involved<EntityIdx> {
    let e = data.entity(part);
    match &e.part_of {
        Some(p) => {
            Involved::new(part, format!("part of {}", data.entity(p.value).name.value)).at(p.span)
        }
        None => Involved::new(part, "a part"),
    }
}

/// Check 1 for one part and one of its ancestors.
fn part_against_whole(
    ctx: &Context<'_>,
    rule: &RuleConfig,
    link: Link,
    part: &Prepared<'_>,
    whole: &Prepared<'_>,
    out: &mut Vec<Finding>,
) {
    let data = ctx.data;
    let parts: Vec<ClaimIdx> = part
        .claims
        .iter()
        .copied()
        .filter(|&c| ctx.selects(rule, c) && low_of(data, c).value().is_some())
        .collect();
    if parts.is_empty() {
        return;
    }
    let wholes: Vec<ClaimIdx> = whole
        .near_in_time(data, time_range(data, &parts), reach_of(link))
        .into_iter()
        .filter(|&c| high_of(data, c).value().is_some())
        .collect();
    if wholes.is_empty() {
        return;
    }
    let mut pool = parts;
    pool.extend_from_slice(&wholes);
    for cluster in time_clusters(data, &pool, link) {
        let is_part = |c: &ClaimIdx| data.claim(*c).subject.value == part.entity();
        let mut ps: Vec<ClaimIdx> = cluster.iter().copied().filter(is_part).collect();
        let mut ws: Vec<ClaimIdx> = cluster.iter().copied().filter(|c| !is_part(c)).collect();
        if ps.is_empty() || ws.is_empty() {
            continue;
        }
        ps.sort_by(|&a, &b| {
            low_key(low_of(data, b))
                .total_cmp_pair(&low_key(low_of(data, a)))
                .then(a.cmp(&b))
        });
        ws.sort_by(|&a, &b| {
            high_key(high_of(data, a))
                .total_cmp_pair(&high_key(high_of(data, b)))
                .then(a.cmp(&b))
        });
        let mut involved_parts = Vec::new();
        let mut extreme: Option<(ClaimIdx, ClaimIdx)> = None;
        for &p in &ps {
            let low = low_of(data, p);
            let partner = ws
                .iter()
                .take_while(|&&w| exceeds(low, high_of(data, w)))
                .find(|&&w| applies(data, link, p, w));
            if let Some(&w) = partner {
                involved_parts.push(p);
                extreme.get_or_insert((p, w));
            }
        }
        let Some((top_part, top_whole)) = extreme else {
            continue;
        };
        let involved_wholes: Vec<ClaimIdx> = ws
            .iter()
            .copied()
            .filter(|&w| {
                let high = high_of(data, w);
                ps.iter()
                    .take_while(|&&p| exceeds(low_of(data, p), high))
                    .any(|&p| applies(data, link, p, w))
            })
            .collect();
        out.push(part_finding(
            ctx,
            link,
            part,
            whole,
            &involved_parts,
            &involved_wholes,
            (top_part, top_whole),
        ));
    }
}

fn part_finding(
    ctx: &Context<'_>,
    link: Link,
    part: &Prepared<'_>,
    whole: &Prepared<'_>,
    parts: &[ClaimIdx],
    wholes: &[ClaimIdx],
    (p, w): (ClaimIdx, ClaimIdx),
) -> Finding {
    let data = ctx.data;
    let (pe, we) = (part.entity(), whole.entity());
    let (pname, wname) = (&data.entity(pe).name.value, &data.entity(we).name.value);
    let (pc, wc) = (data.claim(p), data.claim(w));
    let over = |c: &Claim| match (link, c.as_of) {
        (Link::Overlap, Some(t)) if pc.as_of != wc.as_of => format!(" over {t}"),
        _ => String::new(),
    };
    let mut f = Finding::new(
        "part-exceeds-whole",
        crate::model::Severity::Error,
        format!(
            "{pname}, a part of {wname}, has more {} than {wname} itself: {}{} against {}{}",
            property_phrase(data, part.series),
            pc.value_text.value,
            over(pc),
            wc.value_text.value,
            over(wc)
        ),
    );
    for &c in parts {
        f = f.claim(c, format!("part: {}", claim_label(data, c)));
    }
    for &c in wholes {
        f = f.claim(c, format!("whole: {}", claim_label(data, c)));
    }
    f = f.entity(part_entity(data, pe));
    f = f.note(format!(
        "the part's lower bound, {} ({}, {}), is above the whole's upper bound, {} ({}, {})",
        describe_low(low_of(data, p)),
        data.source(pc.source).id,
        describe_time(pc.as_of),
        describe_high(high_of(data, w)),
        data.source(wc.source).id,
        describe_time(wc.as_of),
    ));
    f = f.note(format!("part_of chain: {}", chain(data, pe, we)));
    if link == Link::Overlap && pc.as_of != wc.as_of {
        f = f.note("the part's count is over a period inside the whole's, so it cannot be larger");
    }
    f
}

/// Check 2: the direct parts of one whole, summed.
fn parts_summed(
    ctx: &Context<'_>,
    rule: &RuleConfig,
    whole: &Prepared<'_>,
    parts: &[&Prepared<'_>],
    out: &mut Vec<Finding>,
) {
    let data = ctx.data;
    let link = match data.property(whole.series.property).measure {
        Measure::Level => Link::Window(rule.params.window_days),
        Measure::Count => Link::Overlap,
    };
    // Part claims used → the whole claims their sum exceeds.
    let mut groups: BTreeMap<Vec<ClaimIdx>, Vec<ClaimIdx>> = BTreeMap::new();
    for &w in &whole.claims {
        let high = high_of(data, w);
        if high.value().is_none() || !ctx.selects(rule, w) {
            continue;
        }
        let mut used = Vec::new();
        let mut single_exceeds = false;
        for part in parts {
            // The lowest lower bound among the part's claims at the whole claim's time.
            let Some(&c) = part.by_low.iter().find(|&&c| applies(data, link, c, w)) else {
                continue;
            };
            single_exceeds |= exceeds(low_of(data, c), high);
            used.push(c);
        }
        if used.len() < 2 || single_exceeds {
            continue;
        }
        let (sum, open) = sum_lows(data, &used);
        if exceeds(
            if open {
                Bound::Open(sum)
            } else {
                Bound::Closed(sum)
            },
            high,
        ) {
            groups.entry(used).or_default().push(w);
        }
    }
    for (used, wholes) in groups {
        out.push(sum_finding(data, whole, &used, &wholes));
    }
}

/// The sum of the claims' lower bounds, and whether any is open (the sum is then exceeded).
fn sum_lows(data: &Dataset, claims: &[ClaimIdx]) -> (f64, bool) {
    let mut sum = 0.0;
    let mut open = false;
    for &c in claims {
        match low_of(data, c) {
            Bound::Closed(v) => sum += v,
            Bound::Open(v) => {
                sum += v;
                open = true;
            }
            Bound::Unbounded => {}
        }
    }
    (sum, open)
}

fn sum_finding(
    data: &Dataset,
    whole: &Prepared<'_>,
    used: &[ClaimIdx],
    wholes: &[ClaimIdx],
) -> Finding {
    let we = whole.entity();
    let wname = &data.entity(we).name.value;
    let w = wholes[0];
    let (sum, open) = sum_lows(data, used);
    let total = if open {
        format!("more than {}", format_number(sum))
    } else {
        format!("at least {}", format_number(sum))
    };
    let mut f = Finding::new(
        "part-exceeds-whole",
        crate::model::Severity::Error,
        format!(
            "{} parts of {wname} have {total} {} between them, more than {wname} itself: {}",
            used.len(),
            property_phrase(data, whole.series),
            data.claim(w).value_text.value
        ),
    );
    for &c in wholes {
        f = f.claim(c, format!("whole: {}", claim_label(data, c)));
    }
    for &c in used {
        let name = &data.entity(data.claim(c).subject.value).name.value;
        f = f.claim(c, format!("part ({name}): {}", claim_label(data, c)));
    }
    let mut entities: Vec<EntityIdx> = used.iter().map(|&c| data.claim(c).subject.value).collect();
    entities.sort();
    entities.dedup();
    for e in entities {
        f = f.entity(part_entity(data, e));
    }
    let terms: Vec<String> = used
        .iter()
        .map(|&c| {
            format!(
                "{} {}",
                data.entity(data.claim(c).subject.value).id,
                describe_low(low_of(data, c))
            )
        })
        .collect();
    let wc = data.claim(w);
    f = f.note(format!(
        "lower bounds: {} = {}, above the upper bound of {}, {} ({}, {})",
        terms.join(" + "),
        format_number(sum),
        data.entity(we).id,
        describe_high(high_of(data, w)),
        data.source(wc.source).id,
        describe_time(wc.as_of)
    ));
    f.note("each part counts with the lowest lower bound among its claims at that time, so the sum is the smallest the sources allow")
}

/// A distinct period of a count series, with the claims over it.
struct Period {
    days: DayRange,
    claims: Vec<ClaimIdx>,
    /// The strongest lower bound among the selected claims (what a sub-period can exceed with).
    max_low: Bound,
    /// The tightest upper bound among all claims (what a containing period can be exceeded at).
    min_high: Bound,
}

/// Check 3: counts over sub-periods above the count over a period that contains them.
fn sub_periods(ctx: &Context<'_>, rule: &RuleConfig, series: &Series, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let mut periods: Vec<Period> = Vec::new();
    let mut dated: Vec<(DayRange, ClaimIdx)> = series
        .claims
        .iter()
        .filter_map(|&c| {
            let claim = data.claim(c);
            (claim.status != Status::Denied && interval(claim).is_some())
                .then_some((claim.as_of?, c))
        })
        .collect();
    // First day ascending, last day descending: a containing period before what it contains.
    dated.sort_by(|a, b| {
        a.0.first
            .cmp(&b.0.first)
            .then(b.0.last.cmp(&a.0.last))
            .then(a.1.cmp(&b.1))
    });
    for (days, c) in dated {
        if periods.last().is_none_or(|p| p.days != days) {
            periods.push(Period {
                days,
                claims: Vec::new(),
                max_low: Bound::Unbounded,
                min_high: Bound::Unbounded,
            });
        }
        let p = periods.last_mut().expect("just pushed");
        p.claims.push(c);
        if ctx.selects(rule, c)
            && low_key(low_of(data, c)).total_cmp_pair(&low_key(p.max_low)) == Ordering::Greater
        {
            p.max_low = low_of(data, c);
        }
        if high_key(high_of(data, c)).total_cmp_pair(&high_key(p.min_high)) == Ordering::Less {
            p.min_high = high_of(data, c);
        }
    }
    if periods.len() < 2 {
        return;
    }
    let n = periods.len();
    let mut uf = UnionFind::new(n);
    // Per period: the tightest upper bound of a containing period it exceeds, and the strongest
    // lower bound of a sub-period that exceeds it.
    let mut exceeded_high = vec![Bound::Unbounded; n];
    let mut exceeding_low = vec![Bound::Unbounded; n];
    let mut first_edge: Vec<Option<usize>> = vec![None; n];
    let mut active: Vec<usize> = Vec::new();
    for i in 0..n {
        let days = periods[i].days;
        active.retain(|&a| periods[a].days.last >= days.first);
        for &a in &active {
            if periods[a].days.last >= days.last && exceeds(periods[i].max_low, periods[a].min_high)
            {
                uf.union(i, a);
                if high_key(periods[a].min_high).total_cmp_pair(&high_key(exceeded_high[i]))
                    == Ordering::Less
                {
                    exceeded_high[i] = periods[a].min_high;
                }
                if low_key(periods[i].max_low).total_cmp_pair(&low_key(exceeding_low[a]))
                    == Ordering::Greater
                {
                    exceeding_low[a] = periods[i].max_low;
                }
                first_edge[i].get_or_insert(a);
            }
        }
        active.push(i);
    }
    let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        if exceeded_high[i].value().is_some() || exceeding_low[i].value().is_some() {
            components.entry(uf.find(i)).or_default().push(i);
        }
    }
    for members in components.values() {
        let mut subs = Vec::new();
        let mut containers = Vec::new();
        for &i in members {
            for &c in &periods[i].claims {
                if exceeds(low_of(data, c), exceeded_high[i]) && ctx.selects(rule, c) {
                    subs.push(c);
                } else if exceeds(exceeding_low[i], high_of(data, c)) {
                    containers.push(c);
                }
            }
        }
        let Some(&sub_period) = members.iter().find(|&&i| first_edge[i].is_some()) else {
            continue;
        };
        let container = first_edge[sub_period].expect("found above");
        let pick = |i: usize, pred: &dyn Fn(ClaimIdx) -> bool| {
            periods[i].claims.iter().copied().find(|&c| pred(c))
        };
        let Some(top_sub) = pick(sub_period, &|c| {
            low_of(data, c) == periods[sub_period].max_low && ctx.selects(rule, c)
        }) else {
            continue;
        };
        let Some(top_container) = pick(container, &|c| {
            high_of(data, c) == periods[container].min_high
        }) else {
            continue;
        };
        out.push(sub_period_finding(
            data,
            series,
            &subs,
            &containers,
            top_sub,
            top_container,
        ));
    }
}

fn sub_period_finding(
    data: &Dataset,
    series: &Series,
    subs: &[ClaimIdx],
    containers: &[ClaimIdx],
    s: ClaimIdx,
    c: ClaimIdx,
) -> Finding {
    let (sc, cc) = (data.claim(s), data.claim(c));
    let name =
        crate::engine::series::series_name(data, series.subject, series.property, &series.scope);
    let period = |claim: &Claim| claim.as_of.map_or_else(String::new, |t| t.to_string());
    let mut f = Finding::new(
        "part-exceeds-whole",
        crate::model::Severity::Error,
        format!(
            "{name}: {} over {} is more than the {} counted over {}, a period that contains it",
            sc.value_text.value,
            period(sc),
            cc.value_text.value,
            period(cc)
        ),
    );
    for &x in subs {
        f = f.claim(x, format!("sub-period: {}", claim_label(data, x)));
    }
    for &x in containers {
        f = f.claim(x, format!("containing period: {}", claim_label(data, x)));
    }
    f.note(format!(
        "a count over {} is part of the count over {}: its lower bound, {}, cannot be above that count's upper bound, {}",
        period(sc),
        period(cc),
        describe_low(low_of(data, s)),
        describe_high(high_of(data, c))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, Spanned};
    use crate::source_map::{FileId, Span};

    /// A data set of `n` entities, each `part_of` the one before it.
    fn chain_of(n: usize) -> Dataset {
        let span = Span::new(FileId(0), 0..0);
        let mut data = Dataset::default();
        for i in 0..n {
            data.entities.push(Entity {
                id: format!("e{i}"),
                span,
                name: Spanned {
                    value: format!("E{i}"),
                    span,
                },
                kind: None,
                aliases: Vec::new(),
                part_of: (i > 0).then(|| Spanned {
                    value: EntityIdx(i as u32 - 1),
                    span,
                }),
                not_same_as: Vec::new(),
                note: None,
            });
        }
        data
    }

    #[test]
    fn nearest_claimed_ancestors_on_a_long_chain() {
        let n = 200_000;
        let data = chain_of(n);
        // Every thousandth entity has claims.
        let claimed: BTreeMap<EntityIdx, ()> = (0..n)
            .step_by(1000)
            .map(|i| (EntityIdx(i as u32), ()))
            .collect();
        let nearest = nearest_claimed_ancestors(&data, &claimed);
        assert_eq!(nearest[&EntityIdx(0)], None);
        assert_eq!(nearest[&EntityIdx(1000)], Some(EntityIdx(0)));
        assert_eq!(nearest[&EntityIdx(199_000)], Some(EntityIdx(198_000)));
        assert_eq!(
            chain(&data, EntityIdx(5), EntityIdx(0)),
            "e5 → e4 → e3 → e2 → e1 → e0"
        );
        assert_eq!(
            chain(&data, EntityIdx(2000), EntityIdx(0)),
            "e2000 → e1999 → e1998 → … → e2 → e1 → e0 (2000 links)"
        );
    }

    #[test]
    fn exceeding_respects_open_ends() {
        assert!(exceeds(Bound::Closed(14_000.0), Bound::Closed(6_500.0)));
        assert!(!exceeds(Bound::Closed(100.0), Bound::Closed(100.0)));
        assert!(exceeds(Bound::Open(100.0), Bound::Closed(100.0)));
        assert!(exceeds(Bound::Closed(100.0), Bound::Open(100.0)));
        assert!(!exceeds(Bound::Closed(150.0), Bound::Unbounded));
        assert!(!exceeds(Bound::Unbounded, Bound::Closed(0.0)));
    }

    #[test]
    fn bound_orders() {
        assert_eq!(
            low_key(Bound::Open(5.0)).total_cmp_pair(&low_key(Bound::Closed(5.0))),
            Ordering::Greater
        );
        assert_eq!(
            high_key(Bound::Open(5.0)).total_cmp_pair(&high_key(Bound::Closed(5.0))),
            Ordering::Less
        );
        assert_eq!(
            high_key(Bound::Closed(5.0)).total_cmp_pair(&high_key(Bound::Unbounded)),
            Ordering::Less
        );
    }
}
