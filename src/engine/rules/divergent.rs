//! `divergent`: contemporary figures that are compatible but not the same (SPEC section 5):
//! 2,000–6,000 against 4,000–6,000. Nothing is contradicted, but the sources do not say the
//! same thing: one is less precise, or they measure slightly different things.
//!
//! Per series of single-valued quantities (denials left out), claims are linked when they speak
//! of the same time and their intervals, each widened by `tolerance`, overlap; every linked
//! group that holds at least two different values (bounds not equal within `tolerance`) is one
//! finding. Identical values are agreement: a group whose values are all the same is silent, and
//! a claim repeating a value of the group is listed with it. A group in which any claim takes
//! part in a contradiction is left to `conflict`, which reports it. The groups come from the
//! sweep in [`super::sweep`], O(n log² n) per series.

use super::conflict::values_note;
use super::sweep::{
    self, Extent, Item, Relation, UnionFind, all_same, describe_times, is_denied, percent,
    show_value, speaker,
};
use crate::engine::series::{claim_label, series_name};
use crate::engine::{Context, Finding, RuleConfig};
use crate::model::{ClaimIdx, Dataset, PropertyType, Value};
use crate::value::Interval;

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let (tolerance, window) = (rule.params.tolerance, rule.params.window_days);
    ctx.for_each_series(out, |series, out| {
        let property = data.property(series.property);
        if property.ty != PropertyType::Quantity || !property.single {
            return;
        }
        let claims: Vec<ClaimIdx> = series
            .claims
            .iter()
            .copied()
            .filter(|&c| ctx.selects(rule, c) && !is_denied(data.claim(c)))
            .collect();
        if claims.len() < 2 {
            return;
        }
        let whens = sweep::times(data, &claims, window);
        let items: Vec<Item> = claims
            .iter()
            .zip(&whens)
            .map(|(&c, &when)| Item {
                when,
                extent: Extent::of_interval(&interval(data, c).widened(tolerance)),
            })
            .collect();
        let mut dsu = UnionFind::new(claims.len());
        sweep::link(&items, Relation::Overlap, &mut dsu);
        let mut conflicted = vec![false; claims.len()];
        for group in super::conflict::groups(data, &claims, tolerance, window) {
            for i in group {
                conflicted[i] = true;
            }
        }
        for group in dsu.groups() {
            if group.iter().any(|&i| conflicted[i]) {
                continue;
            }
            let members: Vec<ClaimIdx> = group.iter().map(|&i| claims[i]).collect();
            let values: Vec<&Value> = members.iter().map(|&c| &data.claim(c).value).collect();
            if all_same(&values, tolerance) {
                continue;
            }
            out.push(finding(data, rule, &members));
        }
    });
}

fn interval(data: &Dataset, c: ClaimIdx) -> Interval {
    match &data.claim(c).value {
        Value::Quantity(i) => *i,
        _ => unreachable!("divergent compares quantities only"),
    }
}

fn finding(data: &Dataset, rule: &RuleConfig, members: &[ClaimIdx]) -> Finding {
    // The values in order, lowest start first (then lowest end); the message names the ends.
    let key = |c: ClaimIdx| {
        let e = Extent::of_interval(&interval(data, c));
        (e.lo, e.hi)
    };
    let mut by_value: Vec<ClaimIdx> = members.to_vec();
    by_value.sort_by_key(|&c| key(c));
    by_value.dedup_by_key(|c| key(*c));
    let (a, b) = (by_value[0], by_value[by_value.len() - 1]);
    let (ca, cb) = (data.claim(a), data.claim(b));
    let name = series_name(data, ca.subject.value, ca.property, &ca.scope);
    let time = describe_times(data, members)
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let message = if by_value.len() == 2 {
        format!(
            "{name}: {} in {} and {} in {} overlap but differ{time}",
            show_value(data, ca),
            speaker(data, ca),
            show_value(data, cb),
            speaker(data, cb)
        )
    } else {
        format!(
            "{name}: {} values overlap but differ, from {} in {} to {} in {}{time}",
            by_value.len(),
            show_value(data, ca),
            speaker(data, ca),
            show_value(data, cb),
            speaker(data, cb)
        )
    };
    let mut f = Finding::new(&rule.id, rule.severity, message);
    f = f
        .claim(a, claim_label(data, a))
        .claim(b, claim_label(data, b));
    for &c in members {
        if c != a && c != b {
            f = f.claim(c, claim_label(data, c));
        }
    }

    let (x, y) = (interval(data, a), interval(data, b));
    if by_value.len() == 2 && (x.contains(&y) || y.contains(&x)) {
        let (wide, narrow) = if x.contains(&y) { (x, y) } else { (y, x) };
        f = f.note(format!(
            "{wide} contains {narrow}: consistent, but one is less precise"
        ));
    } else {
        let extents: Vec<Extent> = members
            .iter()
            .map(|&c| Extent::of_interval(&interval(data, c)))
            .collect();
        let lo = extents.iter().map(|e| e.lo).max();
        let hi = extents.iter().map(|e| e.hi).min();
        if lo <= hi {
            let common = common_part(members.iter().map(|&c| interval(data, c)));
            f = f.note(format!("every value admits {common}"));
        } else {
            f = f.note("each value overlaps another, but no number fits them all");
        }
    }
    if by_value.len() > 2 {
        f = f.note(values_note(data, members));
    }
    let t = rule.params.tolerance;
    f.note(if t > 0.0 {
        format!(
            "tolerance {0}: values are the same when each bound matches within {0}, compatible when they overlap once widened by {0}",
            percent(t)
        )
    } else {
        "tolerance 0%: values are the same only when their bounds are equal".to_string()
    })
}

/// The numbers every interval admits (the intervals must share one).
fn common_part(intervals: impl Iterator<Item = Interval>) -> Interval {
    let mut out = Interval {
        low: crate::value::Bound::Unbounded,
        high: crate::value::Bound::Unbounded,
    };
    for i in intervals {
        if sweep::Pos::low(i.low) > sweep::Pos::low(out.low) {
            out.low = i.low;
        }
        if sweep::Pos::high(i.high) < sweep::Pos::high(out.high) {
            out.high = i.high;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Bound;

    #[test]
    fn common_part_keeps_the_tightest_ends() {
        let more_than_5000 = Interval {
            low: Bound::Open(5_000.0),
            high: Bound::Unbounded,
        };
        let common = common_part(
            [
                Interval::closed(2_000.0, 6_000.0),
                Interval::closed(4_000.0, 6_500.0),
                more_than_5000,
            ]
            .into_iter(),
        );
        assert_eq!(
            common,
            Interval {
                low: Bound::Open(5_000.0),
                high: Bound::Closed(6_000.0)
            }
        );
    }
}
