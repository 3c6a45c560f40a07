//! `quote-mismatch`: a claim whose `quote` states quantities (or dates, for a date property),
//! read by the value language, none of which matches the claim's value. The quote is the
//! evidence for the value: when they disagree, one of them was copied wrong.
//!
//! Each claim is checked on its own: the quote is scanned once by
//! [`crate::value::find_quantities`] or [`crate::value::find_periods`] (linear in its length;
//! years, ordinals and digits inside names are not quantities), and the value must be
//! compatible with at least one thing stated, under the rule's `tolerance` for quantities or
//! overlapping for dates. A quote that states nothing measurable is no mismatch (it may carry
//! a vague statement). Time is linear in the total length of the quotes.

use std::ops::Range;

use rayon::prelude::*;

use crate::engine::series::{claim_label, series_name};
use crate::engine::{Context, Finding, Involved, RuleConfig};
use crate::model::{ClaimIdx, Dataset, PropertyType, Spanned, Value};
use crate::source_map::Span;
use crate::value::{
    DayRange, Interval, ValueSettings, find_periods, find_quantities, format_number,
};

/// What the quote states, each with its byte range in the quote, displayed.
struct Stated {
    range: Range<usize>,
    shown: String,
}

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let tolerance = rule.params.tolerance;
    // Each claim is judged on its own, and scanning prose is the costly part: in parallel,
    // collected in claim order.
    let found: Vec<Finding> = (0..data.claims.len() as u32)
        .into_par_iter()
        .map(ClaimIdx)
        .filter(|&idx| ctx.selects(rule, idx))
        .filter_map(|idx| {
            let claim = data.claim(idx);
            let quote = claim.quote.as_ref()?;
            let ty = data.property(claim.property).ty;
            let stated = match (&claim.value, ty) {
                (Value::Quantity(value), PropertyType::Quantity) => {
                    quantity_mismatch(&quote.value, value, tolerance, &data.settings.values)
                }
                (Value::Date(value), PropertyType::Date) => date_mismatch(&quote.value, value),
                _ => None,
            }?;
            Some(finding(data, rule, idx, quote, &stated, ty))
        })
        .collect();
    out.extend(found);
}

/// The quantities the quote states, when there are some and none is compatible with `value`.
fn quantity_mismatch(
    quote: &str,
    value: &Interval,
    tolerance: f64,
    settings: &ValueSettings,
) -> Option<Vec<Stated>> {
    let found = find_quantities(quote, settings);
    if found.is_empty() || found.iter().any(|(_, q)| q.compatible(value, tolerance)) {
        return None;
    }
    Some(
        found
            .into_iter()
            .map(|(range, q)| Stated {
                range,
                shown: q.to_string(),
            })
            .collect(),
    )
}

/// The dates the quote states, when there are some and none overlaps `value`.
fn date_mismatch(quote: &str, value: &DayRange) -> Option<Vec<Stated>> {
    let found = find_periods(quote);
    if found.is_empty() || found.iter().any(|(_, d)| d.overlaps(value)) {
        return None;
    }
    Some(
        found
            .into_iter()
            .map(|(range, d)| Stated {
                range,
                shown: d.to_string(),
            })
            .collect(),
    )
}

fn finding(
    data: &Dataset,
    rule: &RuleConfig,
    idx: ClaimIdx,
    quote: &Spanned<String>,
    stated: &[Stated],
    ty: PropertyType,
) -> Finding {
    let claim = data.claim(idx);
    let what = if ty == PropertyType::Date {
        "date"
    } else {
        "quantity"
    };
    let written: Vec<String> = stated
        .iter()
        .map(|s| format!("\"{}\"", &quote.value[s.range.clone()]))
        .collect();
    let written: Vec<&str> = written.iter().map(String::as_str).collect();
    let read: Vec<&str> = stated.iter().map(|s| s.shown.as_str()).collect();
    let message = format!(
        "{} in {}: the quote says {}, but the value is {}",
        series_name(data, claim.subject.value, claim.property, &claim.scope),
        data.source(claim.source).id,
        join_or(&written),
        claim.value_text.value
    );
    // Point at the first thing stated when the quote's text maps one to one onto the file.
    let point = match claim.quote_start {
        Some(start) => Span::new(
            quote.span.file,
            start as usize + stated[0].range.start..start as usize + stated[0].range.end,
        ),
        None => quote.span,
    };
    let mut f = Finding::new(&rule.id, rule.severity, message);
    f.claims
        .push(Involved::new(idx, format!("read as {}", join_or(&read))).at(point));
    f = f.claim(idx, format!("the value: {}", claim_label(data, idx)));
    let readings: Vec<String> = written
        .iter()
        .zip(&read)
        .map(|(w, r)| format!("{w} = {r}"))
        .collect();
    f = f.note(format!("the quote states: {}", readings.join("; ")));
    let value = match &claim.value {
        Value::Quantity(v) => v.to_string(),
        Value::Date(d) => d.to_string(),
        _ => claim.value_text.value.clone(),
    };
    let judgement = if ty == PropertyType::Date {
        format!("the value {value} overlaps no date the quote states")
    } else if rule.params.tolerance > 0.0 {
        format!(
            "the value {value} is compatible with no {what} the quote states, even with each widened by the tolerance of {}%",
            format_number(rule.params.tolerance * 100.0)
        )
    } else {
        format!("the value {value} overlaps no {what} the quote states (tolerance 0%)")
    };
    let figures = if ty == PropertyType::Date {
        "dates"
    } else {
        "figures"
    };
    f.note(judgement).note(format!(
        "correct the value or the quote; if the quote's {figures} are about something else, quote the words that carry this claim"
    ))
}

/// `4,000`, `4,000 or 5,000`, `4,000, 5,000 or 6,000`.
fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Day;

    #[test]
    fn quantities_match_with_tolerance() {
        let d = ValueSettings::default();
        let value = Interval::closed(6_000.0, 6_500.0);
        assert!(quantity_mismatch("between 6,000 and 6,500 fighters", &value, 0.0, &d).is_none());
        assert!(quantity_mismatch("a quote with no number in it", &value, 0.0, &d).is_none());
        assert!(quantity_mismatch("as of 2024 the group had", &value, 0.0, &d).is_none());
        let stated = quantity_mismatch("some 4,000 fighters", &value, 0.0, &d).expect("mismatch");
        assert_eq!(stated.len(), 1);
        assert!(quantity_mismatch("5,800 fighters", &value, 0.05, &d).is_none());
        assert!(quantity_mismatch("5,800 fighters", &value, 0.0, &d).is_some());
        // One of several figures matching is enough.
        assert!(quantity_mismatch("4,000 in 2020 and 6,200 in 2024", &value, 0.0, &d).is_none());
    }

    #[test]
    fn dates_overlap() {
        let year = |y| {
            DayRange::new(
                Day::from_ymd(y, 1, 1).unwrap(),
                Day::from_ymd(y, 12, 31).unwrap(),
            )
            .unwrap()
        };
        assert!(date_mismatch("founded in 2015 by defectors", &year(2015)).is_none());
        assert!(date_mismatch("founded by defectors", &year(2015)).is_none());
        assert!(date_mismatch("founded in January 2014", &year(2015)).is_some());
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(join_or(&["4,000"]), "4,000");
        assert_eq!(join_or(&["4,000", "5,000"]), "4,000 or 5,000");
        assert_eq!(join_or(&["1", "2", "3"]), "1, 2 or 3");
    }
}
