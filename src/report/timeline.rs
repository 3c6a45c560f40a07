//! `crosscheck timeline`: every claim of a series over time, one row per claim, with a text bar
//! per value on a scale shared by the whole chart, so drift shows at a glance.
//!
//! - Rows come in the series' order: undated claims first, then by time (`engine::series`).
//! - Quantities: the scale runs from the smallest to the largest finite bound of the chart's
//!   values; it is logarithmic when the smallest is above zero and the largest is more than
//!   100 times it, else linear. Dates: the same on a time axis (always linear), the ends printed
//!   as days. Entities, sets and texts: the value as written, no bar.
//! - A bar is [`BAR_WIDTH`] columns of `·`; an interval is drawn with `█` from its low to its
//!   high end (at least one column); an exact value is one `│`; an end without a bound reaches
//!   the edge and shows `◂` or `▸` there. When every bound is the same number the scale has no
//!   width, and everything on it sits in the middle column.

use std::fmt::Write;

use serde::Serialize;

use super::audit::table;
use crate::engine::series::{self, Series, series_name};
use crate::model::{ClaimIdx, Dataset, EntityIdx, PropertyIdx, PropertyType, Status, Value};
use crate::value::{Bound, Day, Interval, format_number};

/// Columns of a bar.
pub const BAR_WIDTH: usize = 40;
/// The scale turns logarithmic when its largest bound is more than this many times its
/// smallest (and the smallest is above zero).
pub const LOG_RATIO: f64 = 100.0;

/// The axis a chart's bars share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub low: f64,
    pub high: f64,
    pub log: bool,
}

impl Scale {
    /// The scale spanning every finite bound of `intervals`; logarithmic when `allow_log` and
    /// the ratio calls for it. With no finite bound at all, a zero-width scale at 0.
    pub fn fit<'a>(intervals: impl IntoIterator<Item = &'a Interval>, allow_log: bool) -> Scale {
        let mut low = f64::INFINITY;
        let mut high = f64::NEG_INFINITY;
        for i in intervals {
            for v in [i.low.value(), i.high.value()].into_iter().flatten() {
                if v.is_finite() {
                    low = low.min(v);
                    high = high.max(v);
                }
            }
        }
        if low > high {
            return Scale {
                low: 0.0,
                high: 0.0,
                log: false,
            };
        }
        let log = allow_log && low > 0.0 && high / low > LOG_RATIO;
        Scale { low, high, log }
    }

    /// The column, `0..width`, where `v` falls (clamped to the scale).
    pub fn column(&self, v: f64, width: usize) -> usize {
        if width == 0 {
            return 0;
        }
        if self.high <= self.low || !v.is_finite() {
            return width / 2;
        }
        let fraction = if self.log {
            (v.max(self.low).ln() - self.low.ln()) / (self.high.ln() - self.low.ln())
        } else {
            (v - self.low) / (self.high - self.low)
        };
        let column = (fraction.clamp(0.0, 1.0) * (width - 1) as f64).round() as usize;
        column.min(width - 1)
    }
}

/// A value drawn on a scale, `width` columns wide.
pub fn bar(interval: &Interval, scale: &Scale, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let mut cells = vec!['·'; width];
    if interval.is_exact() {
        let v = interval.low.value().unwrap_or(0.0);
        cells[scale.column(v, width)] = '│';
        return cells.into_iter().collect();
    }
    let from = match interval.low {
        Bound::Unbounded => 0,
        b => scale.column(b.value().unwrap_or(scale.low), width),
    };
    let to = match interval.high {
        Bound::Unbounded => width - 1,
        b => scale.column(b.value().unwrap_or(scale.high), width),
    };
    for cell in &mut cells[from.min(to)..=to.max(from)] {
        *cell = '█';
    }
    if interval.low == Bound::Unbounded {
        cells[0] = '◂';
    }
    if interval.high == Bound::Unbounded {
        cells[width - 1] = '▸';
    }
    cells.into_iter().collect()
}

/// The series to chart: the subject's, for one property or all, by property id then scope.
pub fn series_of(data: &Dataset, subject: EntityIdx, property: Option<PropertyIdx>) -> Vec<Series> {
    let mut out: Vec<Series> = series::build(data)
        .into_iter()
        .filter(|s| s.subject == subject && property.is_none_or(|p| s.property == p))
        .collect();
    out.sort_by(|a, b| {
        (&data.property(a.property).id, &a.scope).cmp(&(&data.property(b.property).id, &b.scope))
    });
    out
}

/// What a chart draws: quantities as they are, dates as day numbers; nothing for other types.
fn drawn(value: &Value) -> Option<Interval> {
    match value {
        Value::Quantity(i) => Some(*i),
        Value::Date(d) => Some(Interval::closed(f64::from(d.first.0), f64::from(d.last.0))),
        _ => None,
    }
}

fn scale_of(data: &Dataset, series: &Series) -> Option<Scale> {
    let ty = data.property(series.property).ty;
    if !matches!(ty, PropertyType::Quantity | PropertyType::Date) {
        return None;
    }
    let intervals: Vec<Interval> = series
        .claims
        .iter()
        .filter_map(|&c| drawn(&data.claim(c).value))
        .collect();
    Some(Scale::fit(&intervals, ty == PropertyType::Quantity))
}

/// A scale's end as a label: a number, or a day on a time axis.
fn label(v: f64, ty: PropertyType) -> String {
    if ty == PropertyType::Date {
        Day(v.round() as i32).to_string()
    } else {
        format_number(v)
    }
}

fn source_cell(data: &Dataset, c: ClaimIdx) -> String {
    let claim = data.claim(c);
    let mut cell = data.source(claim.source).id.clone();
    if let Some(a) = &claim.according_to
        && a.value != claim.source
    {
        let _ = write!(cell, " via {}", data.source(a.value).id);
    }
    cell
}

fn value_cell(data: &Dataset, c: ClaimIdx) -> String {
    let claim = data.claim(c);
    let mut cell = claim.value_text.value.replace(['\r', '\n'], " ");
    match claim.status {
        Status::Asserted => {}
        Status::Unconfirmed => cell.push_str(" (unconfirmed)"),
        Status::Denied => cell.push_str(" (denied)"),
    }
    cell
}

fn as_of_cell(data: &Dataset, c: ClaimIdx) -> String {
    data.claim(c)
        .as_of
        .map_or_else(|| "undated".into(), |t| t.to_string())
}

/// The charts of `series` as text, separated by blank lines.
pub fn render_human(data: &Dataset, series: &[Series]) -> String {
    let mut out = String::new();
    for (k, s) in series.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        chart(&mut out, data, s);
    }
    out
}

fn chart(out: &mut String, data: &Dataset, s: &Series) {
    let property = data.property(s.property);
    let scale = scale_of(data, s);
    let _ = write!(
        out,
        "{}: {}",
        series_name(data, s.subject, s.property, &s.scope),
        super::plural(s.claims.len(), "claim")
    );
    match (&scale, property.ty) {
        (Some(_), PropertyType::Date) => out.push_str(", time axis"),
        (Some(sc), _) => {
            out.push_str(if sc.log {
                ", log scale"
            } else {
                ", linear scale"
            });
            if let Some(unit) = &property.unit {
                let _ = write!(out, " ({unit})");
            }
        }
        (None, _) => {}
    }
    out.push('\n');
    let mut headers = vec!["as of".to_string(), "source".into(), "value".into()];
    if let Some(sc) = &scale {
        let (low, high) = (label(sc.low, property.ty), label(sc.high, property.ty));
        let gap = BAR_WIDTH.saturating_sub(low.chars().count() + high.chars().count());
        headers.push(if sc.high <= sc.low {
            // A zero-width scale: its one value, over the middle column where everything sits.
            format!("{}{low}", " ".repeat(BAR_WIDTH / 2))
        } else if gap == 0 {
            format!("{low} … {high}")
        } else {
            format!("{low}{}{high}", " ".repeat(gap))
        });
    }
    let rows: Vec<Vec<String>> = s
        .claims
        .iter()
        .map(|&c| {
            let mut row = vec![
                as_of_cell(data, c),
                source_cell(data, c),
                value_cell(data, c),
            ];
            if let (Some(sc), Some(i)) = (&scale, drawn(&data.claim(c).value)) {
                row.push(bar(&i, sc, BAR_WIDTH));
            }
            row
        })
        .collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    out.push_str(&table(&headers, &[], &rows));
}

#[derive(Serialize)]
struct JsonTimeline<'a> {
    version: u32,
    subject: &'a str,
    charts: Vec<JsonChart<'a>>,
}

#[derive(Serialize)]
struct JsonChart<'a> {
    property: &'a str,
    scope: Option<&'a str>,
    /// Quantities only: the shared scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    scale: Option<JsonScale>,
    claims: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonScale {
    low: f64,
    high: f64,
    log: bool,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    id: &'a str,
    as_of: Option<String>,
    source: &'a str,
    according_to: Option<&'a str>,
    value: &'a str,
    status: &'static str,
    file: &'a str,
    line: usize,
    column: usize,
}

/// The charts as one JSON object: `{"version": 1, "subject", "charts": [{"property", "scope",
/// "scale", "claims": [...]}]}`, in the same order as the text.
pub fn render_json(data: &Dataset, subject: EntityIdx, series: &[Series]) -> String {
    let json = JsonTimeline {
        version: 1,
        subject: &data.entity(subject).id,
        charts: series
            .iter()
            .map(|s| JsonChart {
                property: &data.property(s.property).id,
                scope: (!s.scope.is_empty()).then_some(s.scope.as_str()),
                scale: scale_of(data, s)
                    .filter(|_| data.property(s.property).ty == PropertyType::Quantity)
                    .map(|sc| JsonScale {
                        low: sc.low,
                        high: sc.high,
                        log: sc.log,
                    }),
                claims: s
                    .claims
                    .iter()
                    .map(|&c| {
                        let claim = data.claim(c);
                        let loc = data.files.location(claim.value_text.span);
                        JsonRow {
                            id: &claim.id,
                            as_of: claim.as_of.map(|t| t.to_string()),
                            source: &data.source(claim.source).id,
                            according_to: claim
                                .according_to
                                .as_ref()
                                .map(|a| data.source(a.value).id.as_str()),
                            value: &claim.value_text.value,
                            status: match claim.status {
                                Status::Asserted => "asserted",
                                Status::Unconfirmed => "unconfirmed",
                                Status::Denied => "denied",
                            },
                            file: loc.file,
                            line: loc.line,
                            column: loc.column,
                        }
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&json).expect("a timeline always serializes");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Bound::{Closed, Open, Unbounded};

    fn iv(low: Bound, high: Bound) -> Interval {
        Interval { low, high }
    }

    const LINEAR: Scale = Scale {
        low: 0.0,
        high: 100.0,
        log: false,
    };

    #[test]
    fn bounded_intervals_fill_their_columns() {
        assert_eq!(
            bar(&Interval::closed(0.0, 100.0), &LINEAR, 11),
            "███████████"
        );
        assert_eq!(
            bar(&Interval::closed(20.0, 50.0), &LINEAR, 11),
            "··████·····"
        );
        assert_eq!(bar(&iv(Open(20.0), Open(50.0)), &LINEAR, 11), "··████·····");
        // Narrower than a column: still one column.
        assert_eq!(
            bar(&Interval::closed(50.0, 51.0), &LINEAR, 11),
            "·····█·····"
        );
    }

    #[test]
    fn unbounded_ends_reach_the_edge_with_an_arrow() {
        assert_eq!(
            bar(&iv(Unbounded, Closed(50.0)), &LINEAR, 11),
            "◂█████·····"
        );
        assert_eq!(bar(&iv(Open(50.0), Unbounded), &LINEAR, 11), "·····█████▸");
        assert_eq!(bar(&iv(Unbounded, Unbounded), &LINEAR, 5), "◂███▸");
    }

    #[test]
    fn exact_values_are_one_mark() {
        assert_eq!(bar(&Interval::exact(0.0), &LINEAR, 11), "│··········");
        assert_eq!(bar(&Interval::exact(100.0), &LINEAR, 11), "··········│");
        assert_eq!(bar(&Interval::exact(30.0), &LINEAR, 11), "···│·······");
    }

    #[test]
    fn a_zero_width_scale_puts_everything_in_the_middle() {
        let values = [Interval::exact(400.0), Interval::exact(400.0)];
        let scale = Scale::fit(&values, true);
        assert_eq!(
            scale,
            Scale {
                low: 400.0,
                high: 400.0,
                log: false
            }
        );
        assert_eq!(bar(&values[0], &scale, 11), "·····│·····");
        assert_eq!(
            bar(&iv(Closed(400.0), Unbounded), &scale, 11),
            "·····█████▸"
        );
        assert_eq!(
            bar(&iv(Unbounded, Unbounded), &Scale::fit(&[], true), 3),
            "◂█▸"
        );
        assert_eq!(bar(&values[0], &scale, 0), "");
    }

    #[test]
    fn scales_turn_logarithmic_past_a_hundredfold() {
        let values = [Interval::closed(10.0, 100.0), iv(Open(1000.0), Unbounded)];
        let scale = Scale::fit(&values, true);
        assert_eq!(
            scale,
            Scale {
                low: 10.0,
                high: 1000.0,
                log: false
            }
        );
        let values = [Interval::exact(10.0), Interval::exact(1001.0)];
        let scale = Scale::fit(&values, true);
        assert!(scale.log);
        assert!(!Scale::fit(&values, false).log);
        // 100 is halfway between 10 and 1,000 on a log scale.
        let scale = Scale {
            low: 10.0,
            high: 1000.0,
            log: true,
        };
        assert_eq!(bar(&Interval::exact(100.0), &scale, 11), "·····│·····");
        // Zero or less never makes a log scale.
        assert!(!Scale::fit(&[Interval::closed(0.0, 5000.0)], true).log);
    }
}
