//! What the value rules (`conflict`, `divergent`, `drift`, `misquote`) share: claims placed in
//! time and on a number line, and a sweep that links the claims of one series that speak of
//! the same time and whose values stand in a relation (disjoint, overlapping), without ever
//! looking at all pairs.
//!
//! # The sweep
//!
//! Same-time (SPEC section 4) is an overlap of time spans: a dated claim covers
//! `[first, last + window − 1]` and two dated claims are contemporaries exactly when these
//! spans overlap; undated claims, and every claim of a `date` property, are contemporaries of
//! all; counts are contemporaries only over the very same days (each distinct period gets a
//! rank and covers just that rank). So the series is swept in time order, keeping the claims
//! whose span is still open ("active"); every pair of contemporaries is met once, when the later
//! of the two starts.
//!
//! The rules need groups (connected components of "contemporary and related"), not pairs, and a
//! group of 100,000 contemporaries may hold billions of pairs. So the active claims live in
//! [`MergeTree`], a segment tree over the series' value coordinates in which every node knows
//! whether all active claims below it are already in one group. A new claim links to each group
//! it relates to with one union; a subtree once merged is never walked again until an insertion
//! splits it. Each insertion un-merges at most O(log m) nodes per place it is stored, so a
//! series of `n` claims costs O(n log² n) whatever the shape of the data.
//!
//! Values become [`Extent`]s: intervals whose ends carry an infinitesimal nudge, so open and
//! closed bounds compare exactly (`more than 100` does not meet `100`). Discrete values
//! (entities, texts, sets) become points, one per distinct value: two points are disjoint
//! exactly when the values differ.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, HashSet};

use crate::engine::series::describe_time;
use crate::model::{Claim, ClaimIdx, Dataset, Measure, PropertyType, SetItem, Status, Value};
use crate::value::{Bound, DayRange, Interval};

/// A place on the number line: a value, nudged an infinitesimal step down (−1) or up (+1) for
/// open bounds. `below(high, low)` of two intervals is then `high < low`.
#[derive(Debug, Clone, Copy)]
pub struct Pos {
    value: f64,
    nudge: i8,
}

impl Pos {
    fn new(value: f64, nudge: i8) -> Pos {
        // -0.0 and 0.0 are the same number here.
        let value = if value == 0.0 { 0.0 } else { value };
        Pos { value, nudge }
    }

    /// The place of a lower bound.
    pub fn low(b: Bound) -> Pos {
        match b {
            Bound::Unbounded => Pos::new(f64::NEG_INFINITY, 0),
            Bound::Closed(v) => Pos::new(v, 0),
            Bound::Open(v) => Pos::new(v, 1),
        }
    }

    /// The place of an upper bound.
    pub fn high(b: Bound) -> Pos {
        match b {
            Bound::Unbounded => Pos::new(f64::INFINITY, 0),
            Bound::Closed(v) => Pos::new(v, 0),
            Bound::Open(v) => Pos::new(v, -1),
        }
    }
}

impl PartialEq for Pos {
    fn eq(&self, other: &Pos) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pos {}

impl PartialOrd for Pos {
    fn partial_cmp(&self, other: &Pos) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pos {
    fn cmp(&self, other: &Pos) -> Ordering {
        self.value
            .total_cmp(&other.value)
            .then(self.nudge.cmp(&other.nudge))
    }
}

/// A value as a stretch of the number line, `lo..=hi` (ends as [`Pos`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub lo: Pos,
    pub hi: Pos,
}

impl Extent {
    pub fn of_interval(i: &Interval) -> Extent {
        Extent {
            lo: Pos::low(i.low),
            hi: Pos::high(i.high),
        }
    }

    pub fn of_days(d: &DayRange) -> Extent {
        Extent {
            lo: Pos::new(f64::from(d.first.0), 0),
            hi: Pos::new(f64::from(d.last.0), 0),
        }
    }

    /// A discrete value, numbered.
    pub fn point(n: usize) -> Extent {
        let p = Pos::new(n as f64, 0);
        Extent { lo: p, hi: p }
    }

    pub fn overlaps(&self, other: &Extent) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }
}

/// When a claim speaks of, as the sweep sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A contemporary of every claim of its series (undated, or a `date` property).
    Always,
    /// Contemporary of the claims whose span overlaps `start..=end`.
    Span { start: i64, end: i64 },
}

/// Where each claim of one series lies in time (see the module doc). Same-time of two claims
/// is then exactly [`crate::engine::series::same_time`].
pub fn times(data: &Dataset, claims: &[ClaimIdx], window_days: i32) -> Vec<When> {
    let Some(first) = claims.first() else {
        return Vec::new();
    };
    let property = data.property(data.claim(*first).property);
    if property.ty == PropertyType::Date {
        return vec![When::Always; claims.len()];
    }
    let is_count = property.ty == PropertyType::Quantity && property.measure == Measure::Count;
    let mut ranks: Vec<DayRange> = Vec::new();
    if is_count {
        ranks = claims.iter().filter_map(|&c| data.claim(c).as_of).collect();
        ranks.sort();
        ranks.dedup();
    }
    claims
        .iter()
        .map(|&c| match data.claim(c).as_of {
            None => When::Always,
            Some(t) if is_count => {
                let r = ranks.binary_search(&t).unwrap_or_default() as i64;
                When::Span { start: r, end: r }
            }
            Some(t) => span_of(t, window_days),
        })
        .collect()
}

/// The span of a dated claim (not a count): `[first, last + window − 1]`, so that two spans
/// overlap exactly when the periods lie less than `window` days apart.
fn span_of(t: DayRange, window_days: i32) -> When {
    let start = i64::from(t.first.0);
    let end = if window_days >= 1 {
        i64::from(t.last.0) + i64::from(window_days) - 1
    } else {
        // Nothing dated is a contemporary of anything with a window of 0 days.
        start - 1
    };
    When::Span { start, end }
}

/// One claim as the sweep sees it.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    pub when: When,
    pub extent: Extent,
}

pub use super::union_find::UnionFind;

/// Which pairs of contemporaries [`link`] joins.
#[derive(Debug, Clone, Copy)]
pub enum Relation<'a> {
    /// Values with no number in common.
    Disjoint,
    /// Values with a number in common.
    Overlap,
    /// Values with a number in common, of items in different classes (`true`/`false`).
    CrossOverlap(&'a [bool]),
}

/// Joins in `dsu` every two contemporaries whose values stand in `relation`; `dsu` may already
/// hold other links (they are kept). O(n log² n) for `n` items.
pub fn link(items: &[Item], relation: Relation<'_>, dsu: &mut UnionFind) {
    if items.len() < 2 {
        return;
    }
    let mut coords: Vec<Pos> = items
        .iter()
        .flat_map(|i| [i.extent.lo, i.extent.hi])
        .collect();
    coords.sort();
    coords.dedup();
    let at = |p: Pos| coords.binary_search(&p).expect("every end is a coordinate");
    let m = coords.len();
    let places: Vec<(usize, usize)> = items
        .iter()
        .map(|i| (at(i.extent.lo), at(i.extent.hi)))
        .collect();
    let mut trees = [MergeTree::new(m), MergeTree::new(m)];

    let query = |trees: &mut [MergeTree; 2], i: usize, dsu: &mut UnionFind| {
        let (lo, hi) = places[i];
        match relation {
            Relation::Disjoint => {
                // trees[0] holds upper ends, trees[1] lower ends.
                if lo > 0 {
                    trees[0].link_range(i, 0, lo - 1, dsu);
                }
                if hi + 1 < m {
                    trees[1].link_range(i, hi + 1, m - 1, dsu);
                }
            }
            Relation::Overlap => trees[0].link_range(i, lo, hi, dsu),
            Relation::CrossOverlap(class) => {
                trees[usize::from(!class[i])].link_range(i, lo, hi, dsu)
            }
        }
    };
    let update = |trees: &mut [MergeTree; 2], i: usize, insert: bool, dsu: &mut UnionFind| {
        let (lo, hi) = places[i];
        let mut put = |tree: &mut MergeTree, l: usize, r: usize| {
            if insert {
                tree.insert(i, l, r, dsu)
            } else {
                tree.remove(i, l, r)
            }
        };
        match relation {
            Relation::Disjoint => {
                put(&mut trees[0], hi, hi);
                put(&mut trees[1], lo, lo);
            }
            Relation::Overlap => put(&mut trees[0], lo, hi),
            Relation::CrossOverlap(class) => put(&mut trees[usize::from(class[i])], lo, hi),
        }
    };

    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| match items[i].when {
        When::Always => (0, 0, i),
        When::Span { start, .. } => (1, start, i),
    });
    let mut open: BinaryHeap<Reverse<(i64, usize)>> = BinaryHeap::new();
    for i in order {
        if let When::Span { start, .. } = items[i].when {
            while let Some(&Reverse((end, j))) = open.peek() {
                if end >= start {
                    break;
                }
                open.pop();
                update(&mut trees, j, false, dsu);
            }
        }
        query(&mut trees, i, dsu);
        update(&mut trees, i, true, dsu);
        if let When::Span { end, .. } = items[i].when {
            open.push(Reverse((end, i)));
        }
    }
}

/// A segment tree over value coordinates holding the active items, each stored at the nodes
/// that cover its coordinate range. Per node: how many active items are stored in its subtree,
/// and whether they are all known to be in one group (`merged`, with a member `rep`). Per
/// node's own items: a group known to be connected (count and member) and the items not yet
/// known to be connected to it (`pending`).
struct MergeTree {
    leaves: usize,
    sub_count: Vec<u32>,
    merged: Vec<bool>,
    rep: Vec<u32>,
    own_count: Vec<u32>,
    own_rep: Vec<u32>,
    pending: Vec<Vec<u32>>,
    pending_count: Vec<u32>,
    /// (node, item) of the pending items still active.
    pending_at: HashSet<(u32, u32)>,
}

impl MergeTree {
    fn new(coords: usize) -> MergeTree {
        let leaves = coords.max(1).next_power_of_two();
        let nodes = 2 * leaves;
        MergeTree {
            leaves,
            sub_count: vec![0; nodes],
            merged: vec![false; nodes],
            rep: vec![0; nodes],
            own_count: vec![0; nodes],
            own_rep: vec![0; nodes],
            pending: vec![Vec::new(); nodes],
            pending_count: vec![0; nodes],
            pending_at: HashSet::new(),
        }
    }

    /// The nodes whose ranges exactly cover coordinates `l..=r`.
    fn cover(&self, l: usize, r: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let (mut l, mut r) = (l + self.leaves, r + self.leaves + 1);
        while l < r {
            if l & 1 == 1 {
                out.push(l);
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                out.push(r);
            }
            l >>= 1;
            r >>= 1;
        }
        out
    }

    fn insert(&mut self, item: usize, l: usize, r: usize, dsu: &mut UnionFind) {
        let x = item as u32;
        for node in self.cover(l, r) {
            if self.own_count[node] == 0 && self.pending_count[node] == 0 {
                self.own_count[node] = 1;
                self.own_rep[node] = x;
            } else if self.own_count[node] > 0
                && dsu.find(item) == dsu.find(self.own_rep[node] as usize)
            {
                self.own_count[node] += 1;
            } else {
                self.pending[node].push(x);
                self.pending_count[node] += 1;
                self.pending_at.insert((node as u32, x));
            }
            let mut u = node;
            while u >= 1 {
                if self.sub_count[u] == 0 {
                    self.merged[u] = true;
                    self.rep[u] = x;
                } else if self.merged[u] && dsu.find(item) != dsu.find(self.rep[u] as usize) {
                    self.merged[u] = false;
                }
                self.sub_count[u] += 1;
                u >>= 1;
            }
        }
    }

    fn remove(&mut self, item: usize, l: usize, r: usize) {
        let x = item as u32;
        for node in self.cover(l, r) {
            if self.pending_at.remove(&(node as u32, x)) {
                self.pending_count[node] -= 1;
            } else {
                self.own_count[node] -= 1;
            }
            let mut u = node;
            while u >= 1 {
                self.sub_count[u] -= 1;
                u >>= 1;
            }
        }
    }

    /// Links `item` to every group holding an active item stored over coordinates that meet
    /// `l..=r`.
    fn link_range(&mut self, item: usize, l: usize, r: usize, dsu: &mut UnionFind) {
        for node in self.cover(l, r) {
            // Items stored above the node cover it, so they meet the range.
            let mut u = node >> 1;
            while u >= 1 {
                self.absorb_own(u, item, dsu);
                u >>= 1;
            }
            // Items stored in its subtree lie inside the range.
            let mut stack = vec![node];
            while let Some(u) = stack.pop() {
                if self.sub_count[u] == 0 {
                    continue;
                }
                if self.merged[u] {
                    dsu.union(item, self.rep[u] as usize);
                    continue;
                }
                self.absorb_own(u, item, dsu);
                if u < self.leaves {
                    stack.push(2 * u);
                    stack.push(2 * u + 1);
                }
                self.merged[u] = true;
                self.rep[u] = item as u32;
            }
        }
    }

    /// Links `item` to the node's own items; they are then one group.
    fn absorb_own(&mut self, node: usize, item: usize, dsu: &mut UnionFind) {
        if self.own_count[node] > 0 {
            dsu.union(item, self.own_rep[node] as usize);
        }
        if self.pending_count[node] > 0 {
            for p in std::mem::take(&mut self.pending[node]) {
                if self.pending_at.remove(&(node as u32, p)) {
                    dsu.union(item, p as usize);
                    self.own_count[node] += 1;
                }
            }
            self.pending_count[node] = 0;
        } else {
            self.pending[node].clear();
        }
        if self.own_count[node] > 0 {
            self.own_rep[node] = item as u32;
        }
    }
}

/// Runs of items whose spans chain (each starts before some earlier one of its run ends), in
/// time order: the periods of a series. Items must all be [`When::Span`]s.
pub fn chains(whens: &[When]) -> Vec<Vec<usize>> {
    let mut order: Vec<(i64, i64, usize)> = whens
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match *w {
            When::Span { start, end } => Some((start, end, i)),
            When::Always => None,
        })
        .collect();
    order.sort();
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut reach = i64::MIN;
    for (start, end, i) in order {
        match out.last_mut() {
            Some(run) if start <= reach => run.push(i),
            _ => out.push(vec![i]),
        }
        reach = reach.max(end);
    }
    out
}

/// Whether two values say the same thing: quantities bound by bound within `tolerance` (a
/// fraction of the larger magnitude) with the same open/closed kind, everything else equal.
pub fn same_value(a: &Value, b: &Value, tolerance: f64) -> bool {
    match (a, b) {
        (Value::Quantity(x), Value::Quantity(y)) => {
            same_bound(x.low, y.low, tolerance) && same_bound(x.high, y.high, tolerance)
        }
        _ => a == b,
    }
}

/// Whether two bounds are the same kind with values equal within `tolerance`.
pub fn same_bound(a: Bound, b: Bound, tolerance: f64) -> bool {
    let close = |x: f64, y: f64| x == y || (x - y).abs() <= tolerance * x.abs().max(y.abs());
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => true,
        (Bound::Closed(x), Bound::Closed(y)) | (Bound::Open(x), Bound::Open(y)) => close(x, y),
        _ => false,
    }
}

/// Whether all values agree with each other under [`same_value`], in linear time: for
/// quantities, each bound's kinds are equal and its extreme values within tolerance.
pub fn all_same(values: &[&Value], tolerance: f64) -> bool {
    let Some(first) = values.first() else {
        return true;
    };
    if !matches!(first, Value::Quantity(_)) {
        return values.iter().all(|v| v == first);
    }
    let mut lows = Vec::new();
    let mut highs = Vec::new();
    for v in values {
        let Value::Quantity(i) = v else {
            return false;
        };
        lows.push(i.low);
        highs.push(i.high);
    }
    bounds_agree(&lows, tolerance) && bounds_agree(&highs, tolerance)
}

fn bounds_agree(bounds: &[Bound], tolerance: f64) -> bool {
    let kind = |b: &Bound| std::mem::discriminant(b);
    let first = bounds[0];
    if bounds.iter().any(|b| kind(b) != kind(&first)) {
        return false;
    }
    let values: Vec<f64> = bounds.iter().filter_map(|b| b.value()).collect();
    let (Some(min), Some(max)) = (
        values.iter().copied().reduce(f64::min),
        values.iter().copied().reduce(f64::max),
    ) else {
        return true;
    };
    same_bound(Bound::Closed(min), Bound::Closed(max), tolerance)
}

/// A claim's value for reports, normalised: `2,500–6,000`, `2020-10`, entity names.
pub fn show_value(data: &Dataset, claim: &Claim) -> String {
    match &claim.value {
        Value::Quantity(i) => i.to_string(),
        Value::Date(d) => d.to_string(),
        Value::Entity(e) => data.entity(*e).name.value.clone(),
        Value::Set(items) if items.is_empty() => "none".into(),
        Value::Set(items) => {
            let names: Vec<String> = items
                .iter()
                .map(|item| match item {
                    SetItem::Entity(e) => data.entity(*e).name.value.clone(),
                    SetItem::Text(t) => t.clone(),
                })
                .collect();
            format!("[{}]", names.join(", "))
        }
        Value::Text(_) => claim.value_text.value.clone(),
    }
}

/// The claims' values as shown in reports (`not …` for denials), in order of first appearance,
/// each with the ids of the sources that state it (each once, in order). Linear time.
pub fn by_value(data: &Dataset, claims: &[ClaimIdx]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut slots: HashMap<String, usize> = HashMap::new();
    let mut seen: HashSet<(usize, u32)> = HashSet::new();
    for &c in claims {
        let claim = data.claim(c);
        let mut value = show_value(data, claim);
        if is_denied(claim) {
            value = format!("not {value}");
        }
        let slot = *slots.entry(value.clone()).or_insert_with(|| {
            out.push((value, Vec::new()));
            out.len() - 1
        });
        if seen.insert((slot, claim.source.0)) {
            out[slot].1.push(data.source(claim.source).id.clone());
        }
    }
    out
}

/// Values with their sources for a note, at most 8 values and 5 sources each:
/// `2,000–6,000: ap-2024; 4,000–6,000: kp-2024, wb-2024 and 3 more; and 2 more values`.
pub fn list_values(shown: &[(String, Vec<String>)]) -> String {
    let mut parts: Vec<String> = shown
        .iter()
        .take(8)
        .map(|(value, sources)| {
            let mut list = sources[..sources.len().min(5)].join(", ");
            if sources.len() > 5 {
                list.push_str(&format!(" and {} more", sources.len() - 5));
            }
            format!("{value}: {list}")
        })
        .collect();
    if shown.len() > 8 {
        parts.push(format!("and {} more values", shown.len() - 8));
    }
    parts.join("; ")
}

/// Who says it: `kp-2024`, or `kp-2024 (according to un-mt-34)`.
pub fn speaker(data: &Dataset, claim: &Claim) -> String {
    let mut s = data.source(claim.source).id.clone();
    if let Some(a) = claim
        .according_to
        .as_ref()
        .filter(|a| a.value != claim.source)
    {
        s.push_str(&format!(" (according to {})", data.source(a.value).id));
    }
    s
}

/// The time a set of claims speaks of: `as of 2024`, `as of 2024-06-01 and 2024-06-20`,
/// `as of 2023 to 2024-07`, or `undated`; `None` for a `date` property, whose claims all speak
/// of one time.
pub fn describe_times(data: &Dataset, claims: &[ClaimIdx]) -> Option<String> {
    let first = claims.first()?;
    if data.property(data.claim(*first).property).ty == PropertyType::Date {
        return None;
    }
    let mut times: Vec<DayRange> = claims.iter().filter_map(|&c| data.claim(c).as_of).collect();
    times.sort();
    times.dedup();
    let undated =
        times.len() < claims.len() && claims.iter().any(|&c| data.claim(c).as_of.is_none());
    // One period that holds all the others (2023-06 holds 2023-06-01) stands for them all.
    if let Some(hull) = times.iter().copied().reduce(|a, b| DayRange {
        first: a.first.min(b.first),
        last: a.last.max(b.last),
    }) && times.contains(&hull)
    {
        times = vec![hull];
    }
    let mut text = match times.as_slice() {
        [] => return Some(describe_time(None)),
        [one] => format!("as of {one}"),
        [a, b] => format!("as of {a} and {b}"),
        [a, .., b] => format!("as of {a} to {b}"),
    };
    if undated {
        text.push_str(", and undated");
    }
    Some(text)
}

/// A fraction as a percentage for messages: `47%`, `8%`, `0.5%`.
pub fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if p == 0.0 {
        return "0%".into();
    }
    if p.abs() >= 1.0 {
        format!("{}%", p.round())
    } else {
        let text = format!("{p:.1}");
        format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// `+47%` or `-20%`.
pub fn signed_percent(fraction: f64) -> String {
    if fraction >= 0.0 {
        format!("+{}", percent(fraction))
    } else {
        format!("-{}", percent(-fraction))
    }
}

/// `90 days`, `1 day`.
pub fn days(n: i32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// Whether the claim is a denial (SPEC 4.1).
pub fn is_denied(claim: &Claim) -> bool {
    claim.status == Status::Denied
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic random source, so the tests need no crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    fn random_items(rng: &mut Lcg, n: usize) -> Vec<Item> {
        (0..n)
            .map(|_| {
                let when = if rng.next(8) == 0 {
                    When::Always
                } else {
                    let start = rng.next(40) as i64;
                    When::Span {
                        start,
                        end: start + rng.next(10) as i64,
                    }
                };
                let lo = rng.next(30) as f64;
                let hi = lo + rng.next(6) as f64;
                let bound = |v: f64, open: bool| {
                    if open {
                        Bound::Open(v)
                    } else {
                        Bound::Closed(v)
                    }
                };
                let mut interval = Interval {
                    low: bound(lo, rng.next(4) == 0),
                    high: bound(hi, rng.next(4) == 0),
                };
                if lo == hi {
                    interval = Interval::exact(lo);
                }
                if rng.next(10) == 0 {
                    interval.high = Bound::Unbounded;
                }
                Item {
                    when,
                    extent: Extent::of_interval(&interval),
                }
            })
            .collect()
    }

    fn contemporaries(a: &Item, b: &Item) -> bool {
        match (a.when, b.when) {
            (When::Always, _) | (_, When::Always) => true,
            (When::Span { start: s1, end: e1 }, When::Span { start: s2, end: e2 }) => {
                s1 <= e2 && s2 <= e1
            }
        }
    }

    /// The groups by brute force over all pairs, for comparison.
    fn brute(items: &[Item], related: impl Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
        let mut dsu = UnionFind::new(items.len());
        for i in 0..items.len() {
            for j in 0..i {
                if contemporaries(&items[i], &items[j]) && related(i, j) {
                    dsu.union(i, j);
                }
            }
        }
        dsu.groups()
    }

    #[test]
    fn sweep_finds_the_same_groups_as_all_pairs() {
        let mut rng = Lcg(7);
        for round in 0..300 {
            let n = 1 + (round % 40);
            let items = random_items(&mut rng, n);
            let class: Vec<bool> = (0..n).map(|_| rng.next(3) == 0).collect();

            let mut dsu = UnionFind::new(n);
            link(&items, Relation::Disjoint, &mut dsu);
            let expected = brute(&items, |i, j| !items[i].extent.overlaps(&items[j].extent));
            assert_eq!(dsu.groups(), expected, "disjoint, round {round}");

            let mut dsu = UnionFind::new(n);
            link(&items, Relation::Overlap, &mut dsu);
            let expected = brute(&items, |i, j| items[i].extent.overlaps(&items[j].extent));
            assert_eq!(dsu.groups(), expected, "overlap, round {round}");

            let mut dsu = UnionFind::new(n);
            link(&items, Relation::CrossOverlap(&class), &mut dsu);
            let expected = brute(&items, |i, j| {
                class[i] != class[j] && items[i].extent.overlaps(&items[j].extent)
            });
            assert_eq!(dsu.groups(), expected, "cross, round {round}");
        }
    }

    #[test]
    fn a_large_same_time_series_is_linked_quickly() {
        // 100,000 contemporaries in two camps: 2.5·10⁹ disjoint pairs, linked without looking at them.
        let n = 100_000;
        let items: Vec<Item> = (0..n)
            .map(|i| Item {
                when: When::Always,
                extent: Extent::of_interval(&Interval::exact(if i % 2 == 0 {
                    100.0
                } else {
                    200.0 + i as f64
                })),
            })
            .collect();
        let mut dsu = UnionFind::new(n);
        link(&items, Relation::Disjoint, &mut dsu);
        assert_eq!(dsu.groups().len(), 1);
    }

    #[test]
    fn open_bounds_do_not_meet_their_value() {
        let more_than_100 = Interval {
            low: Bound::Open(100.0),
            high: Bound::Unbounded,
        };
        let a = Extent::of_interval(&more_than_100);
        assert!(!a.overlaps(&Extent::of_interval(&Interval::exact(100.0))));
        assert!(a.overlaps(&Extent::of_interval(&Interval::exact(101.0))));
        let at_most_100 = Interval {
            low: Bound::Unbounded,
            high: Bound::Closed(100.0),
        };
        assert!(
            Extent::of_interval(&at_most_100)
                .overlaps(&Extent::of_interval(&Interval::exact(100.0)))
        );
    }

    #[test]
    fn spans_overlap_exactly_when_periods_are_less_than_the_window_apart() {
        use crate::value::Day;
        let mut rng = Lcg(11);
        for _ in 0..5_000 {
            let range = |rng: &mut Lcg| {
                let first = rng.next(400) as i32;
                DayRange {
                    first: Day(first),
                    last: Day(first + rng.next(60) as i32),
                }
            };
            let (a, b) = (range(&mut rng), range(&mut rng));
            let window = rng.next(120) as i32;
            let expected = a.gap_days(&b) < window;
            let got = match (span_of(a, window), span_of(b, window)) {
                (When::Span { start: s1, end: e1 }, When::Span { start: s2, end: e2 }) => {
                    s1 <= e2 && s2 <= e1
                }
                _ => unreachable!(),
            };
            assert_eq!(got, expected, "{a} and {b}, window {window}");
        }
    }

    #[test]
    fn chains_cut_where_time_leaves_a_gap() {
        let span = |start, end| When::Span { start, end };
        let runs = chains(&[
            span(0, 10),
            span(5, 20),
            span(30, 40),
            span(19, 25),
            When::Always,
        ]);
        assert_eq!(runs, vec![vec![0, 1, 3], vec![2]]);
    }

    #[test]
    fn values_agree_within_tolerance() {
        let q = |l, h| Value::Quantity(Interval::closed(l, h));
        assert!(same_value(&q(2000.0, 6000.0), &q(2000.0, 6000.0), 0.0));
        assert!(!same_value(&q(2000.0, 6000.0), &q(4000.0, 6000.0), 0.0));
        assert!(same_value(&q(1000.0, 6000.0), &q(1004.0, 6000.0), 0.005));
        let open = Value::Quantity(Interval {
            low: Bound::Open(100.0),
            high: Bound::Unbounded,
        });
        let closed = Value::Quantity(Interval {
            low: Bound::Closed(100.0),
            high: Bound::Unbounded,
        });
        assert!(!same_value(&open, &closed, 0.0));
        assert!(all_same(&[&q(1.0, 2.0), &q(1.0, 2.0)], 0.0));
        assert!(!all_same(&[&q(1.0, 2.0), &q(1.0, 2.0), &q(1.0, 3.0)], 0.0));
        assert!(all_same(&[&open, &open], 0.0));
        assert!(!all_same(&[&open, &closed], 0.0));
    }

    #[test]
    fn percentages_read_well() {
        assert_eq!(percent(0.0833), "8%");
        assert_eq!(percent(0.005), "0.5%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(signed_percent(0.4706), "+47%");
        assert_eq!(signed_percent(-0.2), "-20%");
    }
}
