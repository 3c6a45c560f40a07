//! `drift`: a figure that moves a lot between consecutive periods of a series (SPEC sections 4
//! and 5). Moving is not wrong (groups grow and shrink), but a large move deserves a look: a
//! new estimate, a different definition, or a typo.
//!
//! Only `level` quantities that hold one value at a time are followed: counts are totals over
//! their own periods, and a non-single property has several values at once. Undated claims and
//! denials are left out (they have no place in time, or are no figure).
//!
//! The dated claims of a series are cut into periods: claims whose times are the same time
//! (less than `window` apart) chain into one period, so a series reported more often than the
//! window forms a single period (a smaller `window` splits it). A period's value is the range
//! from the lowest to the highest of its claims' values. A period whose own claims contradict
//! each other (a `conflict` at tolerance 0) has no meaningful value and is left out; the periods
//! on either side of it are then compared with each other. Consecutive periods are compared on
//! the midpoint of their ranges, relative to the earlier one, and on whether the ranges share a
//! number at all. The work per series is a sort, one pass, and the conflict sweep that finds the
//! periods to leave out: O(n log² n).

use super::sweep::{self, Extent, Pos, describe_times, is_denied, percent, signed_percent};
use crate::engine::series::{claim_label, series_name};
use crate::engine::{Context, Finding, RuleConfig};
use crate::model::{ClaimIdx, Dataset, Measure, PropertyType};
use crate::value::{Bound, Interval, format_number};

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let window = rule.params.window_days;
    ctx.for_each_series(out, |series, out| {
        let property = data.property(series.property);
        if property.ty != PropertyType::Quantity
            || property.measure == Measure::Count
            || !property.single
        {
            return;
        }
        let claims: Vec<ClaimIdx> = series
            .claims
            .iter()
            .copied()
            .filter(|&c| {
                let claim = data.claim(c);
                ctx.selects(rule, c) && claim.as_of.is_some() && !is_denied(claim)
            })
            .collect();
        if claims.len() < 2 {
            return;
        }
        let runs = sweep::chains(&sweep::times(data, &claims, window));
        if runs.len() < 2 {
            return;
        }
        let mut conflicted = vec![false; claims.len()];
        for group in super::conflict::groups(data, &claims, 0.0, window) {
            for i in group {
                conflicted[i] = true;
            }
        }
        let mut previous: Option<Period> = None;
        let mut skipped = false;
        for mut run in runs {
            if run.iter().any(|&i| conflicted[i]) {
                skipped = previous.is_some();
                continue;
            }
            run.sort_unstable();
            let period = Period::new(data, run.iter().map(|&i| claims[i]).collect());
            if let Some(earlier) = &previous
                && let Some(f) = compare(data, rule, earlier, &period, skipped)
            {
                out.push(f);
            }
            previous = Some(period);
            skipped = false;
        }
    });
}

/// A run of claims of one series that speak of the same time.
struct Period {
    claims: Vec<ClaimIdx>,
    /// From the lowest to the highest value of its claims.
    range: Interval,
}

impl Period {
    fn new(data: &Dataset, claims: Vec<ClaimIdx>) -> Period {
        let interval = |c: &ClaimIdx| match &data.claim(*c).value {
            crate::model::Value::Quantity(i) => *i,
            _ => unreachable!("drift follows quantities only"),
        };
        let low = claims
            .iter()
            .map(interval)
            .map(|i| i.low)
            .min_by_key(|b| Pos::low(*b))
            .unwrap_or(Bound::Unbounded);
        let high = claims
            .iter()
            .map(interval)
            .map(|i| i.high)
            .max_by_key(|b| Pos::high(*b))
            .unwrap_or(Bound::Unbounded);
        Period {
            claims,
            range: Interval { low, high },
        }
    }
}

/// The finding for a move from `a` to the next period `b`, if it is one.
fn compare(
    data: &Dataset,
    rule: &RuleConfig,
    a: &Period,
    b: &Period,
    skipped: bool,
) -> Option<Finding> {
    let disjoint = !Extent::of_interval(&a.range).overlaps(&Extent::of_interval(&b.range));
    let change = match (a.range.midpoint(), b.range.midpoint()) {
        (Some(x), Some(y)) if x != 0.0 => Some((x, y, (y - x) / x.abs())),
        _ => None,
    };
    let large = change.is_some_and(|(_, _, c)| c.abs() > rule.params.threshold);
    if !large && !disjoint {
        return None;
    }
    let first = data.claim(a.claims[0]);
    let name = series_name(data, first.subject.value, first.property, &first.scope);
    let when = |p: &Period| describe_times(data, &p.claims).unwrap_or_default();
    let mut message = format!(
        "{name} moved from {} ({}) to {} ({})",
        a.range,
        when(a),
        b.range,
        when(b)
    );
    match change {
        Some((_, _, c)) if large => {
            message.push_str(&format!(": {} at the midpoint", signed_percent(c)))
        }
        Some((_, _, c)) => message.push_str(&format!(
            ": the ranges do not overlap ({} at the midpoint)",
            signed_percent(c)
        )),
        None => message.push_str(": the ranges do not overlap"),
    }

    let mut f = Finding::new(&rule.id, rule.severity, message);
    for &c in b.claims.iter().chain(&a.claims) {
        f = f.claim(c, claim_label(data, c));
    }
    if let Some((x, y, c)) = change {
        f = f.note(format!(
            "midpoints {} → {}: {} (threshold {})",
            format_number(x),
            format_number(y),
            signed_percent(c),
            percent(rule.params.threshold)
        ));
    }
    if disjoint {
        f = f.note(format!("{} and {} share no number", a.range, b.range));
    }
    if a.claims.len() > 1 || b.claims.len() > 1 {
        f = f.note(format!(
            "a period is a run of claims less than {} apart; its value runs from the lowest to the highest of them",
            sweep::days(rule.params.window_days)
        ));
    }
    if skipped {
        f = f.note(
            "a period in between whose claims contradict each other was left out (see `conflict`)",
        );
    }
    Some(f)
}
