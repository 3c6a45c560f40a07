//! `alias-suspect`: different entities whose names or aliases are spelling or transliteration
//! variants of each other (`Abu Ahmed al-Madani` / `Abu Ahmad al-Madani`, `Nimroz` / `Nimruz`).
//! Claims about one thing split over two entities never meet: they are not comparable, so
//! every other rule misses their contradictions.
//!
//! No name is compared with every other. Each name is reduced to blocking keys (see
//! [`super::names`]: a consonant skeleton with vowel positions, plus one key per reading of its
//! vowels), in parallel; the (key, name) pairs are sorted so that equal keys form buckets, and
//! every bucket holding two or more entities links them, except pairs declared `not_same_as` on
//! either side. Linking a bucket
//! skips declared pairs with a breadth-first walk over the complement of the `not_same_as`
//! pairs, so a bucket of k entities costs O(k + declared pairs), never k². Links are joined
//! with a union-find across buckets, and each resulting group is reported once. Time is linear
//! in the number of names (times their readings, at most 64), plus sorting the buckets.
//!
//! Names are an entity's `name` and `aliases` (its id is a slug, not a name). The rule is about
//! entities, not claims: a `where.subject` selector keeps only the groups that involve a listed
//! entity; `property` and `source` selectors do not apply.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;

use super::union_find::UnionFind;

use super::names;
use crate::engine::{Context, Finding, Involved, RuleConfig};
use crate::model::{Dataset, EntityIdx};

/// One name of one entity: index 0 is the display name, then the aliases in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct NameRef {
    entity: EntityIdx,
    name: usize,
}

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    // Every (key, name) pair, computed in parallel, then sorted: equal keys end up side by
    // side (a bucket), in key order, each bucket's names in entity and name order.
    let mut keyed: Vec<(String, NameRef)> = data
        .entities
        .par_iter()
        .enumerate()
        .flat_map_iter(|(e, entity)| {
            entity.names().enumerate().flat_map(move |(n, name)| {
                let name_ref = NameRef {
                    entity: EntityIdx(e as u32),
                    name: n,
                };
                let mut keys: Vec<String> = names::forms(&name.value)
                    .into_iter()
                    .flat_map(|f| f.keys)
                    .collect();
                keys.sort();
                keys.dedup();
                keys.into_iter().map(move |key| (key, name_ref))
            })
        })
        .collect();
    keyed.par_sort_unstable();
    let silenced = not_same_as_pairs(data);
    let mut groups = UnionFind::new(data.entities.len());
    // For each entity, the names through which it was linked to another entity.
    let mut matched: BTreeMap<EntityIdx, BTreeSet<usize>> = BTreeMap::new();
    // Only buckets shared by two entities or more matter.
    for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
        if bucket.iter().all(|(_, m)| m.entity == bucket[0].1.entity) {
            continue;
        }
        let members: Vec<NameRef> = bucket.iter().map(|&(_, m)| m).collect();
        let mut entities: Vec<EntityIdx> = members.iter().map(|m| m.entity).collect();
        entities.sort();
        entities.dedup();
        if entities.len() < 2 {
            continue;
        }
        for component in complement_components(&entities, &silenced) {
            if component.len() < 2 {
                continue;
            }
            for pair in component.windows(2) {
                groups.union(pair[0].index(), pair[1].index());
            }
            for m in members
                .iter()
                .filter(|m| component.binary_search(&m.entity).is_ok())
            {
                matched.entry(m.entity).or_default().insert(m.name);
            }
        }
    }

    // Groups, each as its entities in index order, ordered by their first entity.
    let mut by_root: BTreeMap<usize, Vec<EntityIdx>> = BTreeMap::new();
    for &entity in matched.keys() {
        by_root
            .entry(groups.find(entity.index()))
            .or_default()
            .push(entity);
    }
    let mut found: Vec<Vec<EntityIdx>> = by_root.into_values().filter(|g| g.len() >= 2).collect();
    found.sort();
    for group in found {
        if !rule.selector.subjects.is_empty()
            && !group.iter().any(|e| rule.selector.subjects.contains(e))
        {
            continue;
        }
        let chosen: Vec<(EntityIdx, usize)> = group
            .iter()
            .map(|&e| {
                (
                    e,
                    *matched[&e].first().expect("matched entities have a name"),
                )
            })
            .collect();
        out.push(finding(data, rule, &chosen));
    }
}

/// Every `not_same_as` declaration, both ways round.
fn not_same_as_pairs(data: &Dataset) -> HashSet<(EntityIdx, EntityIdx)> {
    let mut pairs = HashSet::new();
    for (e, entity) in data.entities.iter().enumerate() {
        let a = EntityIdx(e as u32);
        for other in &entity.not_same_as {
            pairs.insert((a, other.value));
            pairs.insert((other.value, a));
        }
    }
    pairs
}

/// The connected components of the complete graph on `entities` minus the `silenced` pairs:
/// a breadth-first walk that keeps the not-yet-reached entities in a list, so each step
/// either reaches an entity (once each) or skips a silenced pair (once per pair and side).
fn complement_components(
    entities: &[EntityIdx],
    silenced: &HashSet<(EntityIdx, EntityIdx)>,
) -> Vec<Vec<EntityIdx>> {
    let mut components = Vec::new();
    let mut unreached: Vec<EntityIdx> = entities.to_vec();
    while let Some(start) = unreached.pop() {
        let mut component = vec![start];
        let mut queue = vec![start];
        while let Some(u) = queue.pop() {
            let mut kept = Vec::new();
            for w in unreached.drain(..) {
                if silenced.contains(&(u, w)) {
                    kept.push(w);
                } else {
                    component.push(w);
                    queue.push(w);
                }
            }
            unreached = kept;
        }
        component.sort();
        components.push(component);
    }
    components.sort();
    components
}

fn finding(data: &Dataset, rule: &RuleConfig, chosen: &[(EntityIdx, usize)]) -> Finding {
    let name_of =
        |&(e, n): &(EntityIdx, usize)| data.entity(e).names().nth(n).expect("a name of the entity");
    let ids: Vec<&str> = chosen
        .iter()
        .map(|c| data.entity(c.0).id.as_str())
        .collect();
    let spelled: Vec<String> = chosen
        .iter()
        .map(|c| format!("\"{}\"", name_of(c).value))
        .collect();
    let message = format!(
        "{} may be one entity: {} differ only in spelling",
        join_and(&ids),
        join_and(&spelled)
    );
    let mut f = Finding::new(&rule.id, rule.severity, message);
    for c in chosen {
        let name = name_of(c);
        let role = if c.1 == 0 { "name" } else { "alias" };
        let label = format!("\"{}\" ({role} of {})", name.value, data.entity(c.0).id);
        f = f.entity(Involved::new(c.0, label).at(name.span));
    }
    let first = &name_of(&chosen[0]).value;
    let mut differences: Vec<String> = Vec::new();
    for c in &chosen[1..] {
        for d in spelling_differences(first, &name_of(c).value) {
            if !differences.contains(&d) {
                differences.push(d);
            }
        }
    }
    if !differences.is_empty() {
        f = f.note(format!(
            "names that differ only by transliteration: {}",
            differences.join(", ")
        ));
    }
    let others = |skip: usize| -> String {
        let list: Vec<String> = ids
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != skip)
            .map(|(_, id)| format!("\"{id}\""))
            .collect();
        list.join(", ")
    };
    f = f.note(format!(
        "if they are different, say so: add `not_same_as = [{}]` to entity {}",
        others(0),
        ids[0]
    ));
    f.note(format!(
        "if they are the same, merge them into one entity and keep the other {} as {}",
        if ids.len() > 2 {
            "spellings"
        } else {
            "spelling"
        },
        if ids.len() > 2 { "aliases" } else { "an alias" }
    ))
}

/// `a and b`, `a, b and c`.
fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

/// The words in which two names differ, as `Ahmed/Ahmad`; the whole names when their words do
/// not line up one to one.
fn spelling_differences(a: &str, b: &str) -> Vec<String> {
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (wa, wb) = (split(a), split(b));
    if a == b {
        return Vec::new();
    }
    if wa.len() != wb.len() {
        return vec![format!("{a}/{b}")];
    }
    let differing: Vec<String> = wa
        .iter()
        .zip(&wb)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| format!("{x}/{y}"))
        .collect();
    if differing.is_empty() {
        // Same words, different separators: `al-Qaeda` / `al Qaeda`.
        vec![format!("{a}/{b}")]
    } else {
        differing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complement_components_skip_silenced_pairs() {
        let e = |i| EntityIdx(i);
        let mut silenced = HashSet::new();
        silenced.insert((e(0), e(1)));
        silenced.insert((e(1), e(0)));
        // 0 and 1 are declared different; with nothing else in the bucket they stay apart.
        assert_eq!(
            complement_components(&[e(0), e(1)], &silenced),
            vec![vec![e(0)], vec![e(1)]]
        );
        // A third entity links to both.
        assert_eq!(
            complement_components(&[e(0), e(1), e(2)], &silenced),
            vec![vec![e(0), e(1), e(2)]]
        );
        assert_eq!(
            complement_components(&[e(3), e(4)], &HashSet::new()),
            vec![vec![e(3), e(4)]]
        );
    }

    #[test]
    fn differences_name_the_words() {
        assert_eq!(
            spelling_differences("Abu Ahmed al-Madani", "Abu Ahmad al-Madani"),
            vec!["Ahmed/Ahmad"]
        );
        assert_eq!(
            spelling_differences("Nimroz", "Nimruz"),
            vec!["Nimroz/Nimruz"]
        );
        assert_eq!(
            spelling_differences("al-Qaeda", "alqaeda"),
            vec!["al-Qaeda/alqaeda"]
        );
        assert_eq!(
            spelling_differences("al-Qaeda", "al Qaeda"),
            vec!["al-Qaeda/al Qaeda"]
        );
    }
}
