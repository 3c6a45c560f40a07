//! `conflict`: comparable claims about the same time whose values cannot both be true
//! (SPEC sections 4, 4.1 and 5).
//!
//! Incompatible means: quantity intervals that share no number once each is widened by
//! `tolerance`; disjoint days for a `date` property (whose claims all speak of one time);
//! different entities, texts or sets for a single-valued property. A property declared
//! `single = false` (sets by default) holds several values at once, so its values never
//! contradict each other: a set that grew is no contradiction. A `denied` claim is not a value
//! but the rejection of one: it conflicts with every contemporary claim that is not a denial and
//! whose value overlaps the denied one (for sets: shares a member).
//!
//! A finding is a group, not a pair: claims linked by contradictions (transitively) form one
//! finding that lists them all and names the two extremes. The groups come from the sweep in
//! [`super::sweep`]: per series, O(n log² n) for `n` claims, however many pairs contradict.

use std::collections::HashMap;

use super::sweep::{
    self, Extent, Item, Relation, UnionFind, days, describe_times, is_denied, percent, show_value,
    speaker,
};
use crate::engine::series::{claim_label, series_name};
use crate::engine::{Context, Finding, RuleConfig};
use crate::model::{ClaimIdx, Dataset, Measure, PropertyType, SetItem, Value};

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let params = &rule.params;
    ctx.for_each_series(out, |series, out| {
        let claims: Vec<ClaimIdx> = series
            .claims
            .iter()
            .copied()
            .filter(|&c| ctx.selects(rule, c))
            .collect();
        if claims.len() < 2 {
            return;
        }
        for group in groups(data, &claims, params.tolerance, params.window_days) {
            let members: Vec<ClaimIdx> = group.iter().map(|&i| claims[i]).collect();
            out.push(finding(
                data,
                rule,
                &members,
                params.tolerance,
                params.window_days,
            ));
        }
    });
}

/// The conflicting groups among the claims of one series (given in series order), as sorted
/// positions in `claims`.
pub fn groups(
    data: &Dataset,
    claims: &[ClaimIdx],
    tolerance: f64,
    window_days: i32,
) -> Vec<Vec<usize>> {
    let Some(&first) = claims.first() else {
        return Vec::new();
    };
    let property = data.property(data.claim(first).property);
    let whens = sweep::times(data, claims, window_days);
    let mut points = Points::default();
    let mut dsu = UnionFind::new(claims.len());

    if property.single {
        let mut items = Vec::new();
        let mut owners = Vec::new();
        for (i, &c) in claims.iter().enumerate() {
            let claim = data.claim(c);
            if is_denied(claim) {
                continue;
            }
            items.push(Item {
                when: whens[i],
                extent: points.extent(&claim.value, tolerance),
            });
            owners.push(i);
        }
        join(&items, &owners, Relation::Disjoint, &mut dsu);
    }

    if claims.iter().any(|&c| is_denied(data.claim(c))) {
        let mut items = Vec::new();
        let mut owners = Vec::new();
        let mut class = Vec::new();
        for (i, &c) in claims.iter().enumerate() {
            let claim = data.claim(c);
            for extent in points.members(&claim.value, tolerance) {
                items.push(Item {
                    when: whens[i],
                    extent,
                });
                owners.push(i);
                class.push(is_denied(claim));
            }
        }
        join(&items, &owners, Relation::CrossOverlap(&class), &mut dsu);
    }
    dsu.groups()
}

/// Links the items' groups into `dsu` over their owners.
fn join(items: &[Item], owners: &[usize], relation: Relation<'_>, dsu: &mut UnionFind) {
    let mut linked = UnionFind::new(items.len());
    sweep::link(items, relation, &mut linked);
    for group in linked.groups() {
        for &k in &group[1..] {
            dsu.union(owners[group[0]], owners[k]);
        }
    }
}

/// Numbers for discrete values, so that they become points: distinct values, distinct points.
#[derive(Default)]
struct Points {
    numbers: HashMap<Key, usize>,
}

#[derive(Hash, PartialEq, Eq)]
enum Key {
    Entity(u32),
    Text(String),
    Set(Vec<SetItem>),
    Member(SetItem),
    Empty,
}

impl Points {
    fn number(&mut self, key: Key) -> Extent {
        let next = self.numbers.len();
        Extent::point(*self.numbers.entry(key).or_insert(next))
    }

    /// The value as one extent: its interval (widened), its days, or its point.
    fn extent(&mut self, value: &Value, tolerance: f64) -> Extent {
        match value {
            Value::Quantity(i) => Extent::of_interval(&i.widened(tolerance)),
            Value::Date(d) => Extent::of_days(d),
            Value::Entity(e) => self.number(Key::Entity(e.0)),
            Value::Text(t) => self.number(Key::Text(t.clone())),
            Value::Set(items) => self.number(Key::Set(items.clone())),
        }
    }

    /// The value as the extents a denial overlaps: a set by each member (two sets overlap when
    /// they share one), everything else as its one extent.
    fn members(&mut self, value: &Value, tolerance: f64) -> Vec<Extent> {
        match value {
            Value::Set(items) if items.is_empty() => vec![self.number(Key::Empty)],
            Value::Set(items) => items
                .iter()
                .map(|m| self.number(Key::Member(m.clone())))
                .collect(),
            other => vec![self.extent(other, tolerance)],
        }
    }
}

fn finding(
    data: &Dataset,
    rule: &RuleConfig,
    members: &[ClaimIdx],
    tolerance: f64,
    window_days: i32,
) -> Finding {
    let first = data.claim(members[0]);
    let name = series_name(data, first.subject.value, first.property, &first.scope);
    let time = describe_times(data, members)
        .map(|t| format!(" at the same time ({t})"))
        .unwrap_or_default();
    let (denials, values): (Vec<ClaimIdx>, Vec<ClaimIdx>) =
        members.iter().partition(|&&c| is_denied(data.claim(c)));

    let (message, order, mut notes) = if denials.is_empty() {
        value_conflict(data, &name, &time, &values, tolerance)
    } else {
        denial_conflict(data, &name, &time, &denials, &values)
    };
    notes.push(time_note(data, members, window_days));
    if values.len() > 2 || denials.len() > 1 {
        notes.push(values_note(data, members));
    }

    let mut f = Finding::new(&rule.id, rule.severity, message);
    for c in ordered(&order, members) {
        f = f.claim(c, claim_label(data, c));
    }
    for note in notes {
        f = f.note(note);
    }
    f
}

/// The claims named first, then the others in series order.
fn ordered(first: &[ClaimIdx], all: &[ClaimIdx]) -> Vec<ClaimIdx> {
    let mut out = first.to_vec();
    out.extend(all.iter().copied().filter(|c| !first.contains(c)));
    out
}

/// Message, the claims to list first, and notes for a group of values that contradict.
fn value_conflict(
    data: &Dataset,
    name: &str,
    time: &str,
    values: &[ClaimIdx],
    tolerance: f64,
) -> (String, Vec<ClaimIdx>, Vec<String>) {
    let (low, high) = extremes(data, values);
    let (a, b) = (data.claim(low), data.claim(high));
    let message = if values.len() == 2 {
        format!(
            "{name}: {} in {} and {} in {} cannot both be true{time}",
            show_value(data, a),
            speaker(data, a),
            show_value(data, b),
            speaker(data, b)
        )
    } else {
        format!(
            "{name}: {} claims disagree{time}, from {} in {} to {} in {}",
            values.len(),
            show_value(data, a),
            speaker(data, a),
            show_value(data, b),
            speaker(data, b)
        )
    };
    let mut notes = Vec::new();
    match (&a.value, &b.value) {
        (Value::Quantity(x), Value::Quantity(y)) => {
            let (top, bottom) = (
                x.high.value().unwrap_or(f64::INFINITY),
                y.low.value().unwrap_or(f64::NEG_INFINITY),
            );
            let gap = bottom - top;
            let mut note = format!("{x} lies wholly below {y}: ");
            if gap > 0.0 {
                note.push_str(&format!("a gap of {}", crate::value::format_number(gap)));
                if top != 0.0 {
                    note.push_str(&format!(
                        " ({} of {})",
                        percent(gap / top.abs()),
                        crate::value::format_number(top)
                    ));
                }
            } else {
                note.push_str(&format!(
                    "they meet only at {}, which one of them excludes",
                    crate::value::format_number(top)
                ));
            }
            notes.push(note);
            notes.push(if tolerance > 0.0 {
                format!(
                    "tolerance {}: widened by it, they are {} and {}, still disjoint",
                    percent(tolerance),
                    x.widened(tolerance),
                    y.widened(tolerance)
                )
            } else {
                "tolerance 0%: values are compared as written".to_string()
            });
            let needed = gap / (top.abs() + bottom.abs());
            if tolerance == 0.0 && needed > 0.0 && needed < 0.05 {
                notes.push(format!(
                    "the difference is small: a `tolerance` of {} on the rule would treat the two as rounding of one figure",
                    percent(if needed < 0.01 {
                        (needed * 1000.0).ceil() / 1000.0
                    } else {
                        (needed * 100.0).ceil() / 100.0
                    })
                ));
            }
        }
        (Value::Date(x), Value::Date(y)) => {
            notes.push(format!(
                "{x} ends {} before {y} begins: both cannot be the date",
                days(x.gap_days(y))
            ));
        }
        _ => notes.push(format!(
            "`{}` holds one value at a time (single = true)",
            data.property(a.property).id
        )),
    }
    (message, vec![low, high], notes)
}

/// The two claims a value conflict is told by: for intervals and dates, the one that ends
/// lowest and the one that starts highest; for other values, the first two that differ.
fn extremes(data: &Dataset, values: &[ClaimIdx]) -> (ClaimIdx, ClaimIdx) {
    let extent = |c: ClaimIdx| match &data.claim(c).value {
        Value::Quantity(i) => Some(Extent::of_interval(i)),
        Value::Date(d) => Some(Extent::of_days(d)),
        _ => None,
    };
    if values.iter().all(|&c| extent(c).is_some()) {
        let low = values
            .iter()
            .copied()
            .min_by_key(|&c| extent(c).map(|e| e.hi))
            .unwrap_or(values[0]);
        // max_by_key keeps the last of equals; the first reads better.
        let mut high = values[0];
        for &c in values {
            if extent(c).map(|e| e.lo) > extent(high).map(|e| e.lo) {
                high = c;
            }
        }
        return (low, high);
    }
    let a = values[0];
    let b = values
        .iter()
        .copied()
        .find(|&c| data.claim(c).value != data.claim(a).value)
        .unwrap_or(values[values.len() - 1]);
    (a, b)
}

/// Message, the claims to list first, and notes for a group held together by denials.
fn denial_conflict(
    data: &Dataset,
    name: &str,
    time: &str,
    denials: &[ClaimIdx],
    values: &[ClaimIdx],
) -> (String, Vec<ClaimIdx>, Vec<String>) {
    let d = data.claim(denials[0]);
    // The denial is the relayed source's when the claim relays one.
    let denier = data.source(d.according_to.as_ref().map_or(d.source, |a| a.value));
    let mut notes = Vec::new();
    let message = match (denials.len(), values) {
        (1, [one]) => {
            let v = data.claim(*one);
            format!(
                "{name}: {} denies {}, but {} states {}{time}",
                speaker(data, d),
                show_value(data, d),
                speaker(data, v),
                show_value(data, v)
            )
        }
        (1, _) => format!(
            "{name}: {} denies {}, which {} claims state{time}",
            speaker(data, d),
            show_value(data, d),
            values.len()
        ),
        _ => format!(
            "{name}: {} denials against {} claims that state what they deny{time}",
            denials.len(),
            values.len()
        ),
    };
    if let Some(party) = denier.party {
        notes.push(format!(
            "{} speaks for {}",
            denier.id,
            data.entity(party).name.value
        ));
    }
    notes.push(
        "a denial conflicts with every same-time claim whose value overlaps the denied one \
         (for sets: shares a member)"
            .to_string(),
    );
    (message, denials.to_vec(), notes)
}

/// Why the claims count as speaking of the same time.
fn time_note(data: &Dataset, members: &[ClaimIdx], window_days: i32) -> String {
    let property = data.property(data.claim(members[0]).property);
    if property.ty == PropertyType::Date {
        return format!(
            "`{}` is a date property: a fact that does not change with time, so all its claims are compared",
            property.id
        );
    }
    if members.iter().any(|&c| data.claim(c).as_of.is_none()) {
        return "undated claims are compared with every claim of their series".to_string();
    }
    if property.ty == PropertyType::Quantity && property.measure == Measure::Count {
        return "counts are compared only over the very same period".to_string();
    }
    format!(
        "claims less than {} apart speak of the same time (the rule's `window`)",
        days(window_days)
    )
}

/// `values: 2,500–6,000 (un-mt-27, wb-2021); 8,000 (kp-2024)`, at most 8 values shown.
pub fn values_note(data: &Dataset, members: &[ClaimIdx]) -> String {
    let mut members = members.to_vec();
    members.sort_by_key(|&c| {
        let extent = match &data.claim(c).value {
            Value::Quantity(i) => Some(Extent::of_interval(i)),
            Value::Date(d) => Some(Extent::of_days(d)),
            _ => None,
        };
        extent.map(|e| (e.lo, e.hi))
    });
    format!(
        "values: {}",
        sweep::list_values(&sweep::by_value(data, &members))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityIdx;

    #[test]
    fn distinct_discrete_values_are_disjoint_points() {
        let mut points = Points::default();
        let a = points.extent(&Value::Entity(EntityIdx(3)), 0.0);
        let b = points.extent(&Value::Entity(EntityIdx(4)), 0.0);
        let a_again = points.extent(&Value::Entity(EntityIdx(3)), 0.0);
        assert!(!a.overlaps(&b));
        assert_eq!(a, a_again);
        let text = points.extent(&Value::Text("kabul".into()), 0.0);
        assert!(!text.overlaps(&a) && !text.overlaps(&b));
    }

    #[test]
    fn sets_overlap_a_denial_through_a_shared_member() {
        let mut points = Points::default();
        let kunar = SetItem::Entity(EntityIdx(1));
        let nuristan = SetItem::Entity(EntityIdx(2));
        let denied = points.members(&Value::Set(vec![kunar.clone()]), 0.0);
        let stated = points.members(&Value::Set(vec![kunar, nuristan]), 0.0);
        assert!(denied.iter().any(|d| stated.iter().any(|s| d.overlaps(s))));
        let empty = points.members(&Value::Set(vec![]), 0.0);
        assert!(!empty.iter().any(|e| stated.iter().any(|s| e.overlaps(s))));
    }
}
