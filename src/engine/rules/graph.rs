//! Graph helpers shared by the rules, all iterative: citation chains and `part_of` chains may
//! be 100,000 links long, which no recursion survives.
//!
//! - [`strongly_connected`]: Tarjan's strongly connected components, with an explicit stack.
//! - [`time_clusters`]: the connected components of the "same time" relation among claims,
//!   found by one sort and sweep rather than by comparing pairs.

use std::collections::BTreeMap;

use crate::model::{ClaimIdx, Dataset};

/// The strongly connected components of a directed graph of `succ.len()` nodes, each sorted,
/// in reverse topological order: a component comes after every component it reaches. Runs in
/// O(nodes + edges) with an explicit stack.
pub fn strongly_connected(succ: &[Vec<u32>]) -> Vec<Vec<u32>> {
    const UNSEEN: u32 = u32::MAX;
    let n = succ.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0u32;
    // (node, position of the next successor to visit)
    let mut calls: Vec<(u32, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        calls.push((root as u32, 0));
        while let Some(&(v, pos)) = calls.last() {
            let vi = v as usize;
            if pos == 0 && index[vi] == UNSEEN {
                index[vi] = next_index;
                low[vi] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[vi] = true;
            }
            if let Some(&w) = succ[vi].get(pos) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                let wi = w as usize;
                if index[wi] == UNSEEN {
                    calls.push((w, 0));
                } else if on_stack[wi] {
                    low[vi] = low[vi].min(index[wi]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                let p = parent as usize;
                low[p] = low[p].min(low[vi]);
            }
            if low[vi] == index[vi] {
                let mut component = Vec::new();
                loop {
                    let w = stack.pop().expect("the node is on the stack");
                    on_stack[w as usize] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components
}

/// How claims are linked in time for [`time_clusters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Periods that overlap or lie less than this many days apart (SPEC 4, `level` quantities).
    Window(i32),
    /// Periods that share a day (a count over a period and the counts over its sub-periods).
    Overlap,
    /// Periods of the very same days (counts compared with each other).
    Identical,
    /// Every claim speaks of the same time (`date` properties).
    Always,
}

/// Groups claims into the connected components of the same-time relation given by `link`:
/// two claims are in one group when a chain of claims, each at the same time as the next,
/// joins them. Dated claims are sorted by first day and swept once (a claim joins the current
/// group when it lies within reach of the latest last day so far); undated claims are at the
/// same time as every claim, so they join every group (or form one group when no claim is
/// dated). Groups come out in time order, each in time order. O(n log n).
pub fn time_clusters(data: &Dataset, claims: &[ClaimIdx], link: Link) -> Vec<Vec<ClaimIdx>> {
    let mut undated = Vec::new();
    let mut dated = Vec::new();
    for &c in claims {
        match data.claim(c).as_of {
            Some(t) => dated.push((t, c)),
            None => undated.push(c),
        }
    }
    undated.sort_unstable();
    dated.sort_unstable();
    if link == Link::Always || dated.is_empty() {
        let mut all: Vec<ClaimIdx> = undated;
        all.extend(dated.into_iter().map(|(_, c)| c));
        return if all.is_empty() {
            Vec::new()
        } else {
            vec![all]
        };
    }
    let mut groups: Vec<Vec<ClaimIdx>> = Vec::new();
    if link == Link::Identical {
        let mut by_period: BTreeMap<_, Vec<ClaimIdx>> = BTreeMap::new();
        for (t, c) in dated {
            by_period.entry(t).or_default().push(c);
        }
        groups.extend(by_period.into_values());
    } else {
        let mut current: Vec<ClaimIdx> = Vec::new();
        let mut reach = i32::MIN;
        for (t, c) in dated {
            let joins = match link {
                Link::Window(days) => {
                    (i64::from(t.first.0) - i64::from(reach)).max(0) < i64::from(days)
                }
                _ => t.first.0 <= reach,
            };
            if !joins && !current.is_empty() {
                groups.push(std::mem::take(&mut current));
                reach = i32::MIN;
            }
            reach = reach.max(t.last.0);
            current.push(c);
        }
        groups.push(current);
    }
    if !undated.is_empty() {
        for g in &mut groups {
            let mut with_undated = undated.clone();
            with_undated.append(g);
            *g = with_undated;
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(u32, u32)], n: usize) -> Vec<Vec<u32>> {
        let mut succ = vec![Vec::new(); n];
        for &(a, b) in edges {
            succ[a as usize].push(b);
        }
        succ
    }

    #[test]
    fn finds_cycles_and_self_loops() {
        let succ = graph(&[(0, 1), (1, 2), (2, 0), (3, 3), (4, 0)], 5);
        let comps = strongly_connected(&succ);
        assert!(comps.contains(&vec![0, 1, 2]));
        assert!(comps.contains(&vec![3]));
        assert!(comps.contains(&vec![4]));
        assert_eq!(comps.len(), 3);
    }

    #[test]
    fn components_come_in_reverse_topological_order() {
        // 0 → 1 → 2, 2 ↔ 3
        let succ = graph(&[(0, 1), (1, 2), (2, 3), (3, 2)], 4);
        let comps = strongly_connected(&succ);
        assert_eq!(comps, vec![vec![2, 3], vec![1], vec![0]]);
    }

    #[test]
    fn long_chains_do_not_overflow_the_stack() {
        let n = 200_000;
        let mut succ: Vec<Vec<u32>> = (0..n as u32).map(|i| vec![i + 1]).collect();
        succ[n - 1] = vec![0];
        let comps = strongly_connected(&succ);
        assert_eq!(comps.len(), 1);
        assert_eq!(comps[0].len(), n);
    }
}
