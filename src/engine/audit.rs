//! The sourcing audit (`crosscheck audit`), as data: how each source is used, the citation
//! graph as a tree, the independent origins behind each series, and the claims that rest on a
//! low-graded source or on a party. Renderers are in `report::audit`; nothing here judges a
//! value, and nothing here is a finding.
//!
//! Definitions (also in the README):
//! - The source a claim *rests on* is its `according_to` source when it names one (other than its
//!   own source), else its own source: the first step of the chain the `single-origin` rule
//!   follows ([`claim_start`]). A relayed figure rests on the report it names; whether it was
//!   relayed faithfully is `misquote`'s business.
//! - The *origins* of a claim are those the `single-origin` rule computes ([`origins`]): through
//!   `cites` (a primary source originates what it says; a citation circle with no way out is
//!   its own origin, each of its sources). The origins of a series are the union over all its
//!   claims, denials included (a denial is a voice in the series too).
//! - *Below C*: reliability `D` (not usually reliable), `E` (unreliable) or `F` (cannot be
//!   judged). Credibility is not used: it grades a piece of information, not the source.
//! - A claim rests on a *party* when the source it rests on has `party = X`: a spokesperson or a
//!   ministry speaking for X. It is marked *about itself* when the claim's subject and X belong
//!   to the same whole (their outermost `part_of` ancestors are the same entity): the Taliban's
//!   spokesperson on the Haqqani Network, a ministry on its own government.
//!
//! The citation tree is walked with an explicit stack, so a chain of 100,000 sources is fine.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use super::rules::graph::strongly_connected;
use super::rules::single_origin::{Origin, Origins, claim_start, origins, successors};
use super::series;
use crate::model::{ClaimIdx, Dataset, EntityIdx, Grade, PropertyIdx, SourceIdx};

/// Everything the audit shows, each list in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Audit {
    /// One row per source, by id.
    pub sources: Vec<SourceUse>,
    /// The citation graph, depth first, as lines of an indented tree.
    pub citations: Vec<TreeLine>,
    /// One row per series, by subject id, property id and scope.
    pub series: Vec<SeriesOrigins>,
    /// Claims resting on a low-graded source or on a party, by claim id.
    pub weak: Vec<WeakClaim>,
}

/// How a source is used in the data set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceUse {
    pub source: SourceIdx,
    /// Claims recorded in this source.
    pub claims: usize,
    /// Of those, claims with a `quote`.
    pub quoted: usize,
    /// Of those, claims with a `locator`.
    pub located: usize,
    /// Its claims' `according_to` sources with their number of claims, by id.
    pub attributions: Vec<(SourceIdx, usize)>,
}

/// How a source reaches one it relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Listed in `cites`.
    Cites,
    /// Named by `according_to` in the source's claims.
    AccordingTo,
    /// Both.
    Both,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Cites => "cites",
            Via::AccordingTo => "according_to",
            Via::Both => "cites, according_to",
        }
    }
}

/// What a tree line stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The source's first appearance: its children follow.
    First,
    /// Shown earlier with its subtree; not expanded again.
    Repeat,
    /// A source on the path from the root to here: the citations go round in a circle.
    Cycle,
}

/// One line of the citation tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeLine {
    /// 0 for a root.
    pub depth: usize,
    pub source: SourceIdx,
    /// How the parent relies on this source; `None` for a root.
    pub via: Option<Via>,
    pub mark: Mark,
    /// Whether this is its parent's last child (always true for a root).
    pub last: bool,
}

/// The independent origins behind one series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesOrigins {
    pub subject: EntityIdx,
    pub property: PropertyIdx,
    /// Folded scope, empty when none.
    pub scope: String,
    pub claims: usize,
    /// Distinct sources the claims are recorded in.
    pub sources: usize,
    /// The origins, by id.
    pub origins: Vec<SourceIdx>,
}

/// Why a claim is listed as weakly sourced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeakReason {
    /// The source it rests on is graded below C.
    LowGrade(Grade),
    /// The source it rests on speaks for `party`; `about_itself` when the claim's subject and
    /// the party belong to the same whole.
    Party {
        party: EntityIdx,
        about_itself: bool,
    },
}

/// A claim resting on a low-graded source or on a party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeakClaim {
    pub claim: ClaimIdx,
    pub rests_on: SourceIdx,
    pub reasons: Vec<WeakReason>,
    /// Origins of the claim's series that are not the claim's own: independent voices on the
    /// same subject, property and scope (at any time).
    pub other_origins: usize,
}

/// Whether a grade's reliability is below C (D, E or F).
pub fn below_c(grade: Grade) -> bool {
    matches!(grade.reliability, 'D'..='F')
}

/// Audits the data set.
pub fn audit(data: &Dataset) -> Audit {
    let mut finder = OriginFinder::new(data);
    let mut series: Vec<SeriesOrigins> = Vec::new();
    let mut claim_series: HashMap<ClaimIdx, usize> = HashMap::new();
    for s in series::build(data) {
        let mut all = BTreeSet::new();
        let mut sources = BTreeSet::new();
        // Origins shared by a whole circle are added once per series, not once per claim.
        let mut added = HashSet::new();
        for &c in &s.claims {
            let found = finder.of_claim(c);
            if found.len() <= 1 || added.insert(shared_key(&found)) {
                all.extend(found.iter().copied());
            }
            sources.insert(data.claim(c).source);
            claim_series.insert(c, series.len());
        }
        series.push(SeriesOrigins {
            subject: s.subject,
            property: s.property,
            scope: s.scope.clone(),
            claims: s.claims.len(),
            sources: sources.len(),
            origins: by_id(data, all.into_iter().map(SourceIdx)),
        });
    }
    let weak = weak_claims(data, &mut finder, &series, &claim_series);
    series.sort_by(|a, b| {
        (
            &data.entity(a.subject).id,
            &data.property(a.property).id,
            &a.scope,
        )
            .cmp(&(
                &data.entity(b.subject).id,
                &data.property(b.property).id,
                &b.scope,
            ))
    });
    Audit {
        sources: source_uses(data),
        citations: citation_tree_of(data),
        series,
        weak,
    }
}

fn by_id(data: &Dataset, sources: impl IntoIterator<Item = SourceIdx>) -> Vec<SourceIdx> {
    let mut out: Vec<SourceIdx> = sources.into_iter().collect();
    out.sort_by(|a, b| data.source(*a).id.cmp(&data.source(*b).id));
    out
}

fn source_uses(data: &Dataset) -> Vec<SourceUse> {
    let mut uses: Vec<SourceUse> = (0..data.sources.len() as u32)
        .map(|i| SourceUse {
            source: SourceIdx(i),
            claims: 0,
            quoted: 0,
            located: 0,
            attributions: Vec::new(),
        })
        .collect();
    let mut attributions: Vec<BTreeMap<SourceIdx, usize>> =
        vec![BTreeMap::new(); data.sources.len()];
    for claim in &data.claims {
        let u = &mut uses[claim.source.index()];
        u.claims += 1;
        u.quoted += usize::from(claim.quote.is_some());
        u.located += usize::from(claim.locator.is_some());
        if let Some(a) = &claim.according_to {
            *attributions[claim.source.index()]
                .entry(a.value)
                .or_default() += 1;
        }
    }
    for (u, a) in uses.iter_mut().zip(attributions) {
        u.attributions = a.into_iter().collect();
        u.attributions
            .sort_by(|x, y| data.source(x.0).id.cmp(&data.source(y.0).id));
    }
    uses.sort_by(|a, b| data.source(a.source).id.cmp(&data.source(b.source).id));
    uses
}

/// The citation graph of the data set: each source's children are what it `cites` and the
/// `according_to` sources of its claims (its own source left out), by id.
fn citation_tree_of(data: &Dataset) -> Vec<TreeLine> {
    let n = data.sources.len();
    let mut edges: Vec<BTreeMap<u32, (bool, bool)>> = vec![BTreeMap::new(); n];
    for (i, s) in data.sources.iter().enumerate() {
        for c in &s.cites {
            edges[i].entry(c.value.0).or_default().0 = true;
        }
    }
    for claim in &data.claims {
        if let Some(a) = &claim.according_to
            && a.value != claim.source
        {
            edges[claim.source.index()].entry(a.value.0).or_default().1 = true;
        }
    }
    let rank = id_ranks(data);
    let children: Vec<Vec<(u32, Via)>> = edges
        .into_iter()
        .map(|e| {
            let mut list: Vec<(u32, Via)> = e
                .into_iter()
                .map(|(t, flags)| {
                    let via = match flags {
                        (true, true) => Via::Both,
                        (true, false) => Via::Cites,
                        _ => Via::AccordingTo,
                    };
                    (t, via)
                })
                .collect();
            list.sort_by_key(|&(t, _)| rank[t as usize]);
            list
        })
        .collect();
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&s| rank[s as usize]);
    citation_tree(&children, &order)
}

/// Each source's position in id order.
fn id_ranks(data: &Dataset) -> Vec<usize> {
    let mut order: Vec<usize> = (0..data.sources.len()).collect();
    order.sort_by(|&a, &b| data.sources[a].id.cmp(&data.sources[b].id));
    let mut rank = vec![0; order.len()];
    for (r, s) in order.into_iter().enumerate() {
        rank[s] = r;
    }
    rank
}

/// A graph as an indented tree, depth first with an explicit stack. Roots are the nodes no
/// edge reaches, in `order`; then, in `order`, any node still unshown (it lies on a circle that
/// nothing outside reaches). A node reached again is shown as a [`Mark::Repeat`] without its
/// subtree, or as a [`Mark::Cycle`] when it is on the path from the root. Children come in
/// the order given. O(nodes + edges) lines and time.
pub fn citation_tree(children: &[Vec<(u32, Via)>], order: &[u32]) -> Vec<TreeLine> {
    let n = children.len();
    let mut cited = vec![false; n];
    for list in children {
        for &(t, _) in list {
            cited[t as usize] = true;
        }
    }
    let mut shown = vec![false; n];
    let mut on_path = vec![false; n];
    let mut lines = Vec::with_capacity(n);
    let roots = order
        .iter()
        .filter(|&&r| !cited[r as usize])
        .chain(order.iter().filter(|&&r| cited[r as usize]));
    let mut stack: Vec<(u32, usize)> = Vec::new();
    for &root in roots {
        if shown[root as usize] {
            continue;
        }
        lines.push(TreeLine {
            depth: 0,
            source: SourceIdx(root),
            via: None,
            mark: Mark::First,
            last: true,
        });
        shown[root as usize] = true;
        on_path[root as usize] = true;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            let list = &children[node as usize];
            let Some(&(child, via)) = list.get(next) else {
                on_path[node as usize] = false;
                stack.pop();
                continue;
            };
            top.1 += 1;
            let c = child as usize;
            let mark = if on_path[c] {
                Mark::Cycle
            } else if shown[c] {
                Mark::Repeat
            } else {
                Mark::First
            };
            lines.push(TreeLine {
                depth: stack.len(),
                source: SourceIdx(child),
                via: Some(via),
                mark,
                last: next + 1 == list.len(),
            });
            if mark == Mark::First {
                shown[c] = true;
                on_path[c] = true;
                stack.push((child, 0));
            }
        }
    }
    lines
}

/// Exact origin sets, from the `single-origin` rule's origins: a source whose origin is one
/// source needs nothing more; for one with several, the graph is walked (iteratively) to the
/// single-origin sources it reaches and the citation circles with no way out. Sources of one
/// strongly connected component share their origins, so walks are cached per component.
struct OriginFinder<'d> {
    data: &'d Dataset,
    origins: Origins,
    succ: Vec<Vec<u32>>,
    /// Computed when a source with several origins is first met.
    components: Option<Components>,
    walked: HashMap<usize, Rc<[u32]>>,
}

struct Components {
    /// Each source's component.
    of: Vec<usize>,
    /// Per component: a circle of two or more sources that cites nothing outside itself.
    closed: Vec<bool>,
}

impl<'d> OriginFinder<'d> {
    fn new(data: &'d Dataset) -> OriginFinder<'d> {
        OriginFinder {
            data,
            origins: origins(data),
            succ: successors(data),
            components: None,
            walked: HashMap::new(),
        }
    }

    /// The origins of a claim, as source indices in ascending order.
    fn of_claim(&mut self, c: ClaimIdx) -> Rc<[u32]> {
        let (start, _) = claim_start(self.data, c);
        match self.origins.origin[start as usize] {
            Origin::One(o) => Rc::from([o]),
            Origin::None => Rc::from([start]),
            Origin::Several => {
                let succ = &self.succ;
                let components = self.components.get_or_insert_with(|| components(succ));
                let k = components.of[start as usize];
                if !self.walked.contains_key(&k) {
                    let found = walk(&self.origins, succ, components, start);
                    self.walked.insert(k, found.into());
                }
                Rc::clone(&self.walked[&k])
            }
        }
    }
}

/// Identifies a set of origins [`OriginFinder`] shares between the claims of one circle.
fn shared_key(found: &Rc<[u32]>) -> usize {
    Rc::as_ptr(found).cast::<u32>() as usize
}

fn walk(origins: &Origins, succ: &[Vec<u32>], components: &Components, start: u32) -> Vec<u32> {
    let mut found = BTreeSet::new();
    let mut seen = BTreeSet::from([start]);
    let mut todo = vec![start];
    while let Some(s) = todo.pop() {
        match origins.origin[s as usize] {
            Origin::One(o) => {
                found.insert(o);
                continue;
            }
            Origin::None => {
                found.insert(s);
                continue;
            }
            Origin::Several if components.closed[components.of[s as usize]] => {
                found.insert(s);
            }
            Origin::Several => {}
        }
        for &t in &succ[s as usize] {
            if seen.insert(t) {
                todo.push(t);
            }
        }
    }
    found.into_iter().collect()
}

fn components(succ: &[Vec<u32>]) -> Components {
    let list = strongly_connected(succ);
    let mut of = vec![0usize; succ.len()];
    for (k, component) in list.iter().enumerate() {
        for &s in component {
            of[s as usize] = k;
        }
    }
    let closed = list
        .iter()
        .enumerate()
        .map(|(k, component)| {
            component.len() > 1
                && component
                    .iter()
                    .all(|&s| succ[s as usize].iter().all(|&t| of[t as usize] == k))
        })
        .collect();
    Components { of, closed }
}

fn weak_claims(
    data: &Dataset,
    finder: &mut OriginFinder<'_>,
    series: &[SeriesOrigins],
    claim_series: &HashMap<ClaimIdx, usize>,
) -> Vec<WeakClaim> {
    let mut out = Vec::new();
    // Per series and set of origins shared by a circle: how many of the series' origins are
    // not among them (counted once, not once per claim).
    let mut counted: HashMap<(usize, usize), usize> = HashMap::new();
    for c in data.claim_indices() {
        let claim = data.claim(c);
        let (start, _) = claim_start(data, c);
        let rests_on = SourceIdx(start);
        let source = data.source(rests_on);
        let mut reasons = Vec::new();
        if let Some(grade) = &source.grade
            && below_c(grade.value)
        {
            reasons.push(WeakReason::LowGrade(grade.value));
        }
        if let Some(party) = source.party {
            let about_itself = outermost(data, party) == outermost(data, claim.subject.value);
            reasons.push(WeakReason::Party {
                party,
                about_itself,
            });
        }
        if reasons.is_empty() {
            continue;
        }
        let own = finder.of_claim(c);
        let other_origins = claim_series.get(&c).map_or(0, |&k| {
            let count = || {
                series[k]
                    .origins
                    .iter()
                    .filter(|o| own.binary_search(&o.0).is_err())
                    .count()
            };
            if own.len() <= 1 {
                count()
            } else {
                *counted.entry((k, shared_key(&own))).or_insert_with(count)
            }
        });
        out.push(WeakClaim {
            claim: c,
            rests_on,
            reasons,
            other_origins,
        });
    }
    out.sort_by(|a, b| data.claim(a.claim).id.cmp(&data.claim(b.claim).id));
    out
}

/// The outermost whole an entity is part of (itself when it is part of nothing). `part_of`
/// circles are load errors; the walk stops after as many steps as there are entities anyway.
fn outermost(data: &Dataset, mut e: EntityIdx) -> EntityIdx {
    for _ in 0..data.entities.len() {
        match &data.entity(e).part_of {
            Some(p) => e = p.value,
            None => break,
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> (Vec<Vec<(u32, Via)>>, Vec<u32>) {
        let mut children = vec![Vec::new(); n];
        for &(a, b) in edges {
            children[a as usize].push((b, Via::Cites));
        }
        (children, (0..n as u32).collect())
    }

    fn lines(tree: &[TreeLine]) -> Vec<(usize, u32, Mark)> {
        tree.iter().map(|l| (l.depth, l.source.0, l.mark)).collect()
    }

    #[test]
    fn shared_child_is_shown_once_then_referred_to() {
        // 0 → 2, 1 → 2, 2 → 3: two roots share 2.
        let (children, order) = graph(4, &[(0, 2), (1, 2), (2, 3)]);
        let tree = citation_tree(&children, &order);
        assert_eq!(
            lines(&tree),
            vec![
                (0, 0, Mark::First),
                (1, 2, Mark::First),
                (2, 3, Mark::First),
                (0, 1, Mark::First),
                (1, 2, Mark::Repeat),
            ]
        );
        assert!(tree.iter().all(|l| l.last));
    }

    #[test]
    fn siblings_know_which_is_last() {
        let (children, order) = graph(3, &[(0, 1), (0, 2)]);
        let tree = citation_tree(&children, &order);
        let last: Vec<bool> = tree.iter().map(|l| l.last).collect();
        assert_eq!(last, vec![true, false, true]);
    }

    #[test]
    fn cycles_are_marked_and_end() {
        // 0 → 1 → 2 → 1; and 3 ↔ 4, which no root reaches; 5 cites itself.
        let (children, order) = graph(6, &[(0, 1), (1, 2), (2, 1), (3, 4), (4, 3), (5, 5)]);
        let tree = citation_tree(&children, &order);
        assert_eq!(
            lines(&tree),
            vec![
                (0, 0, Mark::First),
                (1, 1, Mark::First),
                (2, 2, Mark::First),
                (3, 1, Mark::Cycle),
                (0, 3, Mark::First),
                (1, 4, Mark::First),
                (2, 3, Mark::Cycle),
                (0, 5, Mark::First),
                (1, 5, Mark::Cycle),
            ]
        );
    }

    #[test]
    fn a_chain_of_100_000_sources_does_not_overflow_the_stack() {
        let n = 100_000u32;
        let edges: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let (children, order) = graph(n as usize, &edges);
        let tree = citation_tree(&children, &order);
        assert_eq!(tree.len(), n as usize);
        assert_eq!(
            tree.last().map(|l| (l.depth, l.source.0)),
            Some((n as usize - 1, n - 1))
        );
        // Closed into a circle, with a root in front: still one line per edge, one cycle mark.
        let mut edges = edges;
        edges.push((n - 1, 1));
        let (children, order) = graph(n as usize, &edges);
        let tree = citation_tree(&children, &order);
        assert_eq!(tree.len(), n as usize + 1);
        assert_eq!(tree.iter().filter(|l| l.mark == Mark::Cycle).count(), 1);
    }

    #[test]
    fn grades_below_c() {
        let g = |reliability, credibility| Grade {
            reliability,
            credibility,
        };
        assert!(!below_c(g('A', 1)));
        assert!(!below_c(g('C', 6)));
        assert!(below_c(g('D', 1)));
        assert!(below_c(g('F', 6)));
    }
}
