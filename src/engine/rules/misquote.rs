//! `misquote`: a claim `according_to` a source S that says something else than S says itself
//! (SPEC section 5).
//!
//! S's own claims are the claims whose `source` is S and that relay no one (`according_to`
//! absent). A relay is checked against S's own claims of the same series (subject, property,
//! scope) at the same time: it must say what one of them says. Saying the same is stricter
//! than being compatible: quantities must have each bound equal within `tolerance` and the same
//! open or closed kind (2,000–6,000 is a misquote of 4,000–6,000 although the two overlap),
//! dates the same days, entities, sets and texts the same; a relayed denial must be a denial.
//! Hedging (`unconfirmed`) is not misquoting.
//!
//! Where S's own claim is not recorded, the relays of S are compared with each other: relays
//! that speak of the same time (chained like `drift`'s periods), made by two sources or more,
//! that do not all say the same thing are a misquote by someone, but we cannot tell whom: one
//! finding for the group, one severity level lower than the rule's.
//!
//! The rule's `where` selects the relays it checks; S's own claims are the reference whatever
//! the selector says. Work per series: relays grouped by S with a sort; each relay looks only at
//! S's claims whose time can reach it (a binary search on start days), so O(n log n) plus the
//! contemporaries actually compared.

use std::collections::BTreeMap;

use super::sweep::{
    self, When, all_same, describe_times, is_denied, percent, same_value, show_value,
};
use crate::engine::series::{claim_label, series_name};
use crate::engine::{Context, Finding, RuleConfig};
use crate::model::{ClaimIdx, Dataset, SourceIdx, Value};
use crate::value::{Bound, format_number};

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let tolerance = rule.params.tolerance;
    ctx.for_each_series(out, |series, out| {
        // Relays by the source they relay, and every source's own claims.
        let mut relays: BTreeMap<SourceIdx, Vec<usize>> = BTreeMap::new();
        let mut own: BTreeMap<SourceIdx, Vec<usize>> = BTreeMap::new();
        for (i, &c) in series.claims.iter().enumerate() {
            let claim = data.claim(c);
            match &claim.according_to {
                Some(s) if s.value != claim.source => {
                    if ctx.selects(rule, c) {
                        relays.entry(s.value).or_default().push(i);
                    }
                }
                Some(_) => {}
                None => own.entry(claim.source).or_default().push(i),
            }
        }
        if relays.is_empty() {
            return;
        }
        let whens = sweep::times(data, &series.claims, rule.params.window_days);
        for (cited, relayed) in relays {
            let reference = Reference::new(own.get(&cited).map_or(&[][..], Vec::as_slice), &whens);
            let mut unrecorded = Vec::new();
            for r in relayed {
                let partners = reference.contemporaries(whens[r]);
                if partners.is_empty() {
                    unrecorded.push(r);
                    continue;
                }
                let relay = data.claim(series.claims[r]);
                let agrees = partners.iter().any(|&o| {
                    let own = data.claim(series.claims[o]);
                    same_value(&relay.value, &own.value, tolerance)
                        && is_denied(relay) == is_denied(own)
                });
                if !agrees {
                    let refs: Vec<ClaimIdx> = partners.iter().map(|&o| series.claims[o]).collect();
                    out.push(misquote(data, rule, series.claims[r], cited, &refs));
                }
            }
            for group in same_time_runs(&unrecorded, &whens) {
                let claims: Vec<ClaimIdx> = group.iter().map(|&i| series.claims[i]).collect();
                if let Some(f) = disagreement(data, rule, cited, &claims) {
                    out.push(f);
                }
            }
        }
    });
}

/// A cited source's own claims in one series, ordered by start, to find those at a time.
struct Reference {
    /// Positions in the series of claims that are contemporaries of all.
    always: Vec<usize>,
    /// (start, end, position), sorted.
    spans: Vec<(i64, i64, usize)>,
    /// The longest span, bounding how far back a contemporary may start.
    longest: i64,
}

impl Reference {
    fn new(own: &[usize], whens: &[When]) -> Reference {
        let mut r = Reference {
            always: Vec::new(),
            spans: Vec::new(),
            longest: 0,
        };
        for &o in own {
            match whens[o] {
                When::Always => r.always.push(o),
                When::Span { start, end } => {
                    r.spans.push((start, end, o));
                    r.longest = r.longest.max(end - start);
                }
            }
        }
        r.spans.sort_unstable();
        r
    }

    /// The claims that speak of the same time as `when`, in series order.
    fn contemporaries(&self, when: When) -> Vec<usize> {
        let mut out = self.always.clone();
        match when {
            When::Always => out.extend(self.spans.iter().map(|s| s.2)),
            When::Span { start, end } => {
                let from = self
                    .spans
                    .partition_point(|s| s.0 < start.saturating_sub(self.longest));
                let to = self.spans.partition_point(|s| s.0 <= end);
                out.extend(
                    self.spans[from..to]
                        .iter()
                        .filter(|s| s.1 >= start)
                        .map(|s| s.2),
                );
            }
        }
        out.sort_unstable();
        out
    }
}

/// Positions chained into runs of the same time; an undated claim joins everything.
fn same_time_runs(positions: &[usize], whens: &[When]) -> Vec<Vec<usize>> {
    if positions.len() < 2 {
        return Vec::new();
    }
    if positions.iter().any(|&p| whens[p] == When::Always) {
        return vec![positions.to_vec()];
    }
    let local: Vec<When> = positions.iter().map(|&p| whens[p]).collect();
    sweep::chains(&local)
        .into_iter()
        .map(|run| {
            let mut run: Vec<usize> = run.into_iter().map(|i| positions[i]).collect();
            run.sort_unstable();
            run
        })
        .collect()
}

/// A relay that says something else than the cited source's own claims `refs`.
fn misquote(
    data: &Dataset,
    rule: &RuleConfig,
    relay: ClaimIdx,
    cited: SourceIdx,
    refs: &[ClaimIdx],
) -> Finding {
    let tolerance = rule.params.tolerance;
    let r = data.claim(relay);
    let relayer = &data.source(r.source).id;
    let cited_id = &data.source(cited).id;
    let name = series_name(data, r.subject.value, r.property, &r.scope);
    // Only the denial differs when some claim of the source has the very value.
    let same_value = refs
        .iter()
        .find(|&&c| same_value(&r.value, &data.claim(c).value, tolerance));
    let message = match same_value {
        Some(_) if is_denied(r) => format!(
            "{relayer} relays {name} from {cited_id} as a denial of \"{}\", but {cited_id} asserts it",
            written(data, relay)
        ),
        Some(_) => format!(
            "{relayer} relays {name} from {cited_id} as \"{}\", but {cited_id} denies it",
            written(data, relay)
        ),
        None => {
            let said = |c: ClaimIdx| {
                let claim = data.claim(c);
                let v = written(data, c);
                if is_denied(claim) {
                    format!("not \"{v}\"")
                } else {
                    format!("\"{v}\"")
                }
            };
            let own: Vec<String> = refs.iter().map(|&c| said(c)).collect();
            format!(
                "{relayer} relays {name} from {cited_id} as {}, but {cited_id} itself says {}",
                said(relay),
                join_or(&own)
            )
        }
    };
    let mut f = Finding::new(&rule.id, rule.severity, message);
    f = f.claim(relay, claim_label(data, relay));
    for &c in refs {
        f = f.claim(c, claim_label(data, c));
    }
    let closest = same_value.or(refs.first()).copied();
    if let Some(own) = closest {
        for note in differences(data, relay, own, tolerance) {
            f = f.note(note);
        }
    }
    if let Some(t) = describe_times(data, &[relay]) {
        f = f.note(format!(
            "compared with {cited_id}'s own claims about the same time ({t})"
        ));
    }
    f
}

/// A value as its source wrote it (quantities, dates, texts), or by its names (entities, sets).
fn written(data: &Dataset, c: ClaimIdx) -> String {
    let claim = data.claim(c);
    match claim.value {
        Value::Entity(_) | Value::Set(_) => show_value(data, claim),
        _ => claim.value_text.value.clone(),
    }
}

/// What differs between a relay and the cited source's claim, in numbers.
fn differences(data: &Dataset, relay: ClaimIdx, own: ClaimIdx, tolerance: f64) -> Vec<String> {
    let (r, o) = (data.claim(relay), data.claim(own));
    let mut notes = Vec::new();
    if is_denied(r) != is_denied(o) && !same_value(&r.value, &o.value, tolerance) {
        notes.push(format!(
            "the relay reports {}; {} itself {} it",
            if is_denied(r) {
                "a denial"
            } else {
                "an assertion"
            },
            data.source(o.source).id,
            if is_denied(o) { "denies" } else { "asserts" }
        ));
    }
    if let (Value::Quantity(x), Value::Quantity(y)) = (&r.value, &o.value) {
        if same_value(&r.value, &o.value, tolerance) {
            return notes;
        }
        let readings: Vec<String> = [(relay, x), (own, y)]
            .iter()
            .filter(|(c, i)| written(data, *c).replace(' ', "") != i.to_string().replace(' ', ""))
            .map(|(c, i)| format!("\"{}\" reads as {i}", written(data, *c)))
            .collect();
        if !readings.is_empty() {
            notes.push(readings.join("; "));
        }
        for (side, a, b) in [("lower", x.low, y.low), ("upper", x.high, y.high)] {
            if sweep::same_bound(a, b, tolerance) {
                continue;
            }
            let mut s = format!(
                "{side} bounds differ: {} against {}",
                show_bound(a),
                show_bound(b)
            );
            if let (Some(va), Some(vb)) = (a.value(), b.value())
                && va != vb
                && vb != 0.0
            {
                s.push_str(&format!(" ({} off)", percent((va - vb).abs() / vb.abs())));
            }
            notes.push(s);
        }
        notes.push(format!(
            "tolerance {}: each bound must match within it, with the same open or closed kind; overlapping is not enough",
            percent(tolerance)
        ));
    }
    if let (Value::Date(x), Value::Date(y)) = (&r.value, &o.value)
        && x != y
    {
        notes.push(format!("the dates must be the same days: {x} against {y}"));
    }
    notes
}

fn show_bound(b: Bound) -> String {
    match b {
        Bound::Unbounded => "none".into(),
        Bound::Closed(v) => format_number(v),
        Bound::Open(v) => format!("{} (excluded)", format_number(v)),
    }
}

/// Relays of one source, about one time, whose source's own claim is not recorded: a finding
/// when two sources or more relay it and they do not all say the same.
fn disagreement(
    data: &Dataset,
    rule: &RuleConfig,
    cited: SourceIdx,
    claims: &[ClaimIdx],
) -> Option<Finding> {
    let mut relayers: Vec<SourceIdx> = claims.iter().map(|&c| data.claim(c).source).collect();
    relayers.sort_unstable();
    relayers.dedup();
    if relayers.len() < 2 {
        return None;
    }
    let values: Vec<&Value> = claims.iter().map(|&c| &data.claim(c).value).collect();
    let denied_mixed = claims.iter().any(|&c| is_denied(data.claim(c)))
        != claims.iter().all(|&c| is_denied(data.claim(c)));
    if all_same(&values, rule.params.tolerance) && !denied_mixed {
        return None;
    }
    let first = data.claim(claims[0]);
    let cited_id = &data.source(cited).id;
    let name = series_name(data, first.subject.value, first.property, &first.scope);
    let time = describe_times(data, claims)
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();

    // Values in order of first appearance, with who relays each.
    let shown = sweep::by_value(data, claims);
    let message = if shown.len() <= 3 {
        let parts: Vec<String> = shown
            .iter()
            .map(|(v, list)| format!("{v} in {}", join_and(list, 3)))
            .collect();
        format!(
            "{name}: relays of {cited_id} disagree{time}: {}",
            parts.join("; ")
        )
    } else {
        format!(
            "{name}: {} relays of {cited_id} by {} sources disagree{time}, with {} different values",
            claims.len(),
            relayers.len(),
            shown.len()
        )
    };
    let mut f = Finding::new(&rule.id, rule.severity.lowered(), message);
    for &c in claims {
        f = f.claim(c, claim_label(data, c));
    }
    f = f.note(format!(
        "according to {cited_id}: {}",
        sweep::list_values(&shown)
    ));
    f = f.note(format!(
        "{cited_id}'s own claim is not recorded, so it cannot tell which relay is right: add it (a [[claim]] with source = \"{cited_id}\") and this becomes a misquote of the relays that differ"
    ));
    f = f.note(format!(
        "severity {}: one level below the rule's, as the misquote is not pinned on anyone",
        rule.severity.lowered().as_str()
    ));
    if values.iter().all(|v| matches!(v, Value::Quantity(_))) {
        f = f.note(format!(
            "tolerance {}: relays agree when each bound matches within it",
            percent(rule.params.tolerance)
        ));
    }
    Some(f)
}

/// `a`, `a or b`, `a, b or c`.
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// `a and b`, `a, b and c`, `a, b, c and 2 others` beyond `max`.
fn join_and(items: &[String], max: usize) -> String {
    if items.len() > max {
        return format!(
            "{} and {} others",
            items[..max - 1].join(", "),
            items.len() - max + 1
        );
    }
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_finds_contemporaries_by_start_day() {
        let span = |start, end| When::Span { start, end };
        let whens = vec![
            span(0, 100),
            span(50, 60),
            When::Always,
            span(200, 289),
            span(300, 300),
        ];
        let r = Reference::new(&[0, 1, 2, 3, 4], &whens);
        assert_eq!(r.contemporaries(span(55, 70)), vec![0, 1, 2]);
        assert_eq!(r.contemporaries(span(101, 199)), vec![2]);
        assert_eq!(r.contemporaries(span(250, 250)), vec![2, 3]);
        assert_eq!(r.contemporaries(When::Always), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn lists_read_well() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_or(&s(&["a", "b", "c"])), "a, b or c");
        assert_eq!(join_and(&s(&["a", "b"]), 4), "a and b");
        assert_eq!(
            join_and(&s(&["a", "b", "c", "d", "e"]), 4),
            "a, b, c and 2 others"
        );
    }
}
