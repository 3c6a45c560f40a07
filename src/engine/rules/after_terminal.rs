//! `after-terminal`: a claim about a subject for a time after the subject ended (a death, a
//! dissolution: a `date` property with `terminal = true`).
//!
//! The subject's end is the LATEST last day among its non-denied terminal claims: reports of a
//! death differ, and an early, hedged report ("reports of his death in October 2020, which no
//! Member State could confirm") must not make every later claim suspect. A claim fires when its
//! period starts after that day: its `as_of` for most properties; its value for a `date`
//! property (a date property's claims are facts fixed in time, their `as_of` is only when they
//! were reported). Other terminal properties of the subject are not checked against it, nor are
//! denied or undated claims.
//!
//! The rule's `where` selects the claims checked; the terminal claims are taken whatever the
//! selector. Two passes over the series: O(claims).

use std::collections::BTreeMap;

use super::anachronism::as_of_written;
use crate::engine::series::claim_label;
use crate::engine::{Context, Finding, RuleConfig};
use crate::model::{ClaimIdx, Dataset, EntityIdx, PropertyType, Severity, Status, Value};
use crate::value::{Day, format_number};

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let ends = terminal_dates(ctx);
    if ends.is_empty() {
        return;
    }
    for series in &ctx.series {
        let property = data.property(series.property);
        if property.terminal {
            continue;
        }
        let Some(&end) = ends.get(&series.subject) else {
            continue;
        };
        for &idx in &series.claims {
            let claim = data.claim(idx);
            if claim.status == Status::Denied || !ctx.selects(rule, idx) {
                continue;
            }
            let start = match (&claim.value, property.ty) {
                (Value::Date(d), PropertyType::Date) => Some(d.first),
                _ => claim.as_of.map(|t| t.first),
            };
            if let Some(start) = start
                && start > end.day
            {
                out.push(finding(data, idx, end, start));
            }
        }
    }
}

/// The end of a subject: the latest last day among its non-denied terminal claims, the claim
/// that gives it, and how many terminal claims there are.
#[derive(Debug, Clone, Copy)]
struct End {
    day: Day,
    claim: ClaimIdx,
    of: usize,
}

fn terminal_dates(ctx: &Context<'_>) -> BTreeMap<EntityIdx, End> {
    let data = ctx.data;
    let mut ends: BTreeMap<EntityIdx, End> = BTreeMap::new();
    for series in &ctx.series {
        let property = data.property(series.property);
        if !(property.ty == PropertyType::Date && property.terminal) {
            continue;
        }
        for &idx in &series.claims {
            let claim = data.claim(idx);
            let Value::Date(d) = claim.value else {
                continue;
            };
            if claim.status == Status::Denied {
                continue;
            }
            let end = ends.entry(series.subject).or_insert(End {
                day: d.last,
                claim: idx,
                of: 0,
            });
            end.of += 1;
            if d.last > end.day {
                end.day = d.last;
                end.claim = idx;
            }
        }
    }
    ends
}

fn finding(data: &Dataset, idx: ClaimIdx, end: End, start: Day) -> Finding {
    let terminal = end.claim;
    let claim = data.claim(idx);
    let property = data.property(claim.property);
    let term = data.claim(terminal);
    let term_property = &data.property(term.property).id;
    let name = &data.entity(claim.subject.value).name.value;
    let when = match (&claim.value, property.ty) {
        (Value::Date(_), PropertyType::Date) => String::new(),
        _ => claim
            .as_of
            .map_or_else(String::new, |t| format!(" as of {t}")),
    };
    let message = format!(
        "{name}: {} {}{when} comes after {name}'s {term_property} ({})",
        property.id, claim.value_text.value, term.value_text.value
    );
    let mut f = Finding::new("after-terminal", Severity::Error, message)
        .claim(idx, claim_label(data, idx))
        .claim(
            terminal,
            format!("{term_property}: {}", claim_label(data, terminal)),
        );
    f = f.note(format!(
        "the claim starts {start}, {} after the last day of the {term_property}, {}",
        days_between(end.day, start),
        end.day
    ));
    if end.of > 1 {
        f = f.note(format!(
            "of the {} {term_property} claims about {name} that are not denied, the latest is taken, so an earlier report does not make later claims suspect",
            end.of
        ));
    }
    let dated_by_value = matches!(
        (&claim.value, property.ty),
        (Value::Date(_), PropertyType::Date)
    );
    if !dated_by_value && !as_of_written(data, claim) {
        f = f.note(
            "the claim has no `as_of` of its own: it is taken as of the publication it comes from; if the value held earlier, write `as_of`",
        );
    }
    f
}

fn days_between(end: Day, start: Day) -> String {
    let n = start.0 - end.0;
    if n == 1 {
        "1 day".into()
    } else {
        format!("{} days", format_number(f64::from(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::DayRange;

    fn later(start: DayRange, end: Day) -> bool {
        start.first > end
    }

    #[test]
    fn a_period_overlapping_the_end_is_not_after_it() {
        let end = Day::from_ymd(2022, 7, 31).unwrap();
        let y2022 = DayRange::new(
            Day::from_ymd(2022, 1, 1).unwrap(),
            Day::from_ymd(2022, 12, 31).unwrap(),
        )
        .unwrap();
        let y2023 = DayRange::new(
            Day::from_ymd(2023, 1, 1).unwrap(),
            Day::from_ymd(2023, 12, 31).unwrap(),
        )
        .unwrap();
        assert!(!later(y2022, end));
        assert!(later(y2023, end));
        assert_eq!(days_between(end, y2023.first), "154 days");
    }
}
