//! `circular-citation`: sources whose `cites` go round in a circle, a source citing itself
//! included. Whatever such sources say cannot be traced to an origin: each rests on the others.
//!
//! The citation graph's strongly connected components are found with an iterative Tarjan
//! (O(sources + cites), no recursion, so a circle of 100,000 sources is fine). One finding per
//! component with more than one source, or with a source that cites itself: every source of the
//! component is listed, and a note shows one circle through its first source, found by a
//! breadth-first search inside the component (the shortest such circle).
//!
//! Of the rule's `where`, only `source` applies: a component is reported when it holds a
//! selected source.

use std::collections::{HashMap, VecDeque};

use super::graph::strongly_connected;
use super::unattributed::list;
use crate::engine::{Context, Finding, Involved, RuleConfig};
use crate::model::{Dataset, Severity, SourceIdx};

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let succ: Vec<Vec<u32>> = data
        .sources
        .iter()
        .map(|s| {
            let mut seen = std::collections::HashSet::new();
            s.cites
                .iter()
                .map(|c| c.value.0)
                .filter(|&t| seen.insert(t))
                .collect()
        })
        .collect();
    let mut components: Vec<Vec<u32>> = strongly_connected(&succ)
        .into_iter()
        .filter(|c| c.len() > 1 || succ[c[0] as usize].contains(&c[0]))
        .filter(|c| {
            let selected = &rule.selector.sources;
            selected.is_empty() || c.iter().any(|&s| selected.contains(&SourceIdx(s)))
        })
        .collect();
    components.sort();
    for component in components {
        out.push(finding(data, &succ, &component));
    }
}

/// The shortest circle from the component's first source back to it, as source indices (the
/// first repeated at the end).
fn circle(succ: &[Vec<u32>], component: &[u32]) -> Vec<u32> {
    let start = component[0];
    let inside = |s: u32| component.binary_search(&s).is_ok();
    let mut came_from: HashMap<u32, u32> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(s) = queue.pop_front() {
        for &t in &succ[s as usize] {
            if t == start {
                let mut path = vec![start, s];
                let mut at = s;
                while at != start {
                    at = came_from[&at];
                    path.push(at);
                }
                path.reverse();
                return path;
            }
            if inside(t) && !came_from.contains_key(&t) {
                came_from.insert(t, s);
                queue.push_back(t);
            }
        }
    }
    vec![start, start]
}

fn finding(data: &Dataset, succ: &[Vec<u32>], component: &[u32]) -> Finding {
    let id = |s: u32| data.sources[s as usize].id.as_str();
    let path = circle(succ, component);
    let message = if component.len() == 1 {
        format!("{} cites itself", id(component[0]))
    } else {
        let ids: Vec<&str> = component.iter().map(|&s| id(s)).collect();
        format!(
            "{} sources cite each other in a circle: {}",
            component.len(),
            list(&ids)
        )
    };
    let mut f = Finding::new("circular-citation", Severity::Error, message);
    // Sources along the circle first, then the rest of the component.
    let mut order: Vec<u32> = path[..path.len() - 1].to_vec();
    let on_path: std::collections::HashSet<u32> = order.iter().copied().collect();
    order.extend(component.iter().copied().filter(|s| !on_path.contains(s)));
    let inside = |s: u32| component.binary_search(&s).is_ok();
    for s in order {
        let source = &data.sources[s as usize];
        let within: Vec<&str> = succ[s as usize]
            .iter()
            .filter(|&&t| inside(t))
            .map(|&t| id(t))
            .collect();
        let at = source
            .cites
            .iter()
            .find(|c| inside(c.value.0))
            .map(|c| c.span);
        let mut involved = Involved::new(SourceIdx(s), format!("cites {}", list(&within)));
        if let Some(span) = at {
            involved = involved.at(span);
        }
        f.sources.push(involved);
    }
    let chain: Vec<&str> = path.iter().map(|&s| id(s)).collect();
    let chain = if chain.len() > 9 {
        format!(
            "{} → … → {} ({} links)",
            chain[..4].join(" → "),
            chain[chain.len() - 4..].join(" → "),
            chain.len() - 1
        )
    } else {
        chain.join(" → ")
    };
    f = f.note(format!("citation chain: {chain}"));
    if component.len() > path.len() - 1 {
        f = f.note(format!(
            "the circle takes in {} sources in all: each can be reached from every other through `cites`",
            component.len()
        ));
    }
    f.note(if component.len() == 1 {
        "a source that cites itself rests on itself: what it says looks better sourced than it is"
    } else {
        "each of these sources rests on the others, so what goes round the circle looks better sourced than it is"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_circle_through_the_first_source() {
        // 0 → 1 → 2 → 0, and 1 → 0
        let succ = vec![vec![1], vec![2, 0], vec![0]];
        assert_eq!(circle(&succ, &[0, 1, 2]), vec![0, 1, 0]);
    }

    #[test]
    fn self_citation() {
        let succ = vec![vec![0]];
        assert_eq!(circle(&succ, &[0]), vec![0, 0]);
    }

    #[test]
    fn long_circle() {
        let n = 100_000u32;
        let succ: Vec<Vec<u32>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let component: Vec<u32> = (0..n).collect();
        let path = circle(&succ, &component);
        assert_eq!(path.len(), n as usize + 1);
        assert_eq!(path[0], 0);
        assert_eq!(path[n as usize], 0);
    }
}
