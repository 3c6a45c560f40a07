//! The sourcing audit as text (aligned tables), Markdown and JSON. The audit itself is computed
//! by `engine::audit`; this module only lays it out. Four parts, each in a stable order: the
//! sources (by id), the citation graph (a tree), the independent origins per series, and the
//! claims resting on a low-graded source or on a party.

use std::fmt::Write;

use serde::Serialize;

use super::markdown::{code, inline};
use super::plural;
use crate::engine::audit::{
    Audit, Mark, SeriesOrigins, SourceUse, TreeLine, WeakClaim, WeakReason,
};
use crate::model::{Dataset, SourceIdx, SourceKind};
use crate::source_map::Span;

/// Tree lines deeper than this keep the guides of the first levels only and show their depth.
const MAX_INDENT: usize = 24;
/// Publishers longer than this are cut in the text tables (Markdown and JSON keep them whole).
const PUBLISHER_WIDTH: usize = 32;

/// The audit as aligned text tables and a drawn tree.
pub fn render_human(data: &Dataset, audit: &Audit) -> String {
    let mut out = format!("Sourcing audit: {}\n", headline(data, audit));

    out.push_str("\nSources\n");
    let rows: Vec<Vec<String>> = audit
        .sources
        .iter()
        .map(|u| {
            let mut row = source_cells(data, u);
            row[3] = cut(&row[3], PUBLISHER_WIDTH);
            row
        })
        .collect();
    out.push_str(&table(&SOURCE_HEADERS, &SOURCE_RIGHT, &rows));

    out.push_str(
        "\nCitation graph: roots are the sources nobody cites; under each source, what it cites\n",
    );
    out.push_str("or attributes claims to (↑ shown above, ↻ cycle: already on this path)\n");
    out.push_str(&tree_text(data, &audit.citations));

    out.push_str("\nIndependent origins per series\n");
    let rows: Vec<Vec<String>> = audit.series.iter().map(|s| series_cells(data, s)).collect();
    out.push_str(&table(&SERIES_HEADERS, &SERIES_RIGHT, &rows));

    out.push_str(&format!("\nWeak sourcing: {}\n", weak_headline(audit)));
    if !audit.weak.is_empty() {
        let rows: Vec<Vec<String>> = audit.weak.iter().map(|w| weak_cells(data, w)).collect();
        out.push_str(&table(&WEAK_HEADERS, &WEAK_RIGHT, &rows));
    }
    out
}

/// The audit as Markdown: a table per part, the tree in a code block.
pub fn render_markdown(data: &Dataset, audit: &Audit) -> String {
    let mut out = format!("## Sourcing audit\n\n{}.\n", inline(&headline(data, audit)));

    out.push_str("\n### Sources\n\n");
    let rows: Vec<Vec<String>> = audit
        .sources
        .iter()
        .map(|u| {
            let mut row: Vec<String> = source_cells(data, u).iter().map(|c| inline(c)).collect();
            row[0] = code(&data.source(u.source).id, true);
            row
        })
        .collect();
    md_table(&mut out, &SOURCE_HEADERS, &SOURCE_RIGHT, &rows);

    out.push_str("\n### Citation graph\n\n");
    out.push_str("Roots are the sources nobody cites; under each source, what it cites or attributes claims to ");
    out.push_str("(↑ shown above, ↻ cycle: already on this path).\n\n");
    // Source ids hold no backticks, so a plain fence is safe.
    out.push_str("```text\n");
    out.push_str(&tree_text(data, &audit.citations));
    out.push_str("```\n");

    out.push_str("\n### Independent origins per series\n\n");
    let rows: Vec<Vec<String>> = audit
        .series
        .iter()
        .map(|s| series_cells(data, s).iter().map(|c| inline(c)).collect())
        .collect();
    md_table(&mut out, &SERIES_HEADERS, &SERIES_RIGHT, &rows);

    let _ = writeln!(
        out,
        "\n### Weak sourcing\n\n{}.",
        inline(&capitalized(&weak_headline(audit)))
    );
    if !audit.weak.is_empty() {
        out.push('\n');
        let rows: Vec<Vec<String>> = audit
            .weak
            .iter()
            .map(|w| {
                let mut row: Vec<String> = weak_cells(data, w).iter().map(|c| inline(c)).collect();
                row[0] = code(&data.claim(w.claim).id, true);
                row
            })
            .collect();
        md_table(&mut out, &WEAK_HEADERS, &WEAK_RIGHT, &rows);
    }
    out
}

const SOURCE_HEADERS: [&str; 10] = [
    "source",
    "kind",
    "grade",
    "publisher",
    "published",
    "claims",
    "quoted",
    "located",
    "party",
    "according to",
];
const SOURCE_RIGHT: [bool; 10] = [
    false, false, false, false, false, true, true, true, false, false,
];
const SERIES_HEADERS: [&str; 4] = ["series", "claims", "sources", "origins"];
const SERIES_RIGHT: [bool; 4] = [false, true, true, false];
const WEAK_HEADERS: [&str; 4] = ["claim", "rests on", "why", "other origins in series"];
const WEAK_RIGHT: [bool; 4] = [false, false, false, true];

fn headline(data: &Dataset, audit: &Audit) -> String {
    format!(
        "{}, {}, {}",
        plural(data.sources.len(), "source"),
        plural(data.claims.len(), "claim"),
        plural(audit.series.len(), "series").replace("seriess", "series")
    )
}

fn weak_headline(audit: &Audit) -> String {
    match audit.weak.len() {
        0 => "no claim rests on a source graded below C (D, E or F) or on a party".into(),
        1 => "1 claim rests on a source graded below C (D, E or F) or on a party".into(),
        n => format!("{n} claims rest on a source graded below C (D, E or F) or on a party"),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn source_cells(data: &Dataset, u: &SourceUse) -> Vec<String> {
    let s = data.source(u.source);
    let share = |n: usize| {
        if u.claims == 0 {
            "-".to_string()
        } else {
            format!("{}%", percent(n, u.claims))
        }
    };
    let attributions: Vec<String> = u
        .attributions
        .iter()
        .map(|(a, n)| format!("{} ×{n}", data.source(*a).id))
        .collect();
    vec![
        s.id.clone(),
        kind(s.kind).into(),
        s.grade.as_ref().map_or("-".into(), |g| g.value.to_string()),
        s.publisher.clone().unwrap_or_else(|| "-".into()),
        s.published
            .as_ref()
            .map_or("-".into(), |p| p.value.to_string()),
        u.claims.to_string(),
        share(u.quoted),
        share(u.located),
        s.party.map_or("-".into(), |p| data.entity(p).id.clone()),
        if attributions.is_empty() {
            "-".into()
        } else {
            attributions.join(", ")
        },
    ]
}

/// `n` of `total` as a whole percentage, rounded half up (never 100 unless all, never 0 unless
/// none).
fn percent(n: usize, total: usize) -> usize {
    let p = (n * 200 + total) / (total * 2);
    match p {
        100 if n < total => 99,
        0 if n > 0 => 1,
        p => p,
    }
}

fn kind(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Primary => "primary",
        SourceKind::Secondary => "secondary",
    }
}

fn series_cells(data: &Dataset, s: &SeriesOrigins) -> Vec<String> {
    let ids: Vec<&str> = s
        .origins
        .iter()
        .map(|o| data.source(*o).id.as_str())
        .collect();
    let mut name = format!(
        "{} {}",
        data.entity(s.subject).id,
        data.property(s.property).id
    );
    if !s.scope.is_empty() {
        let _ = write!(name, " ({})", s.scope);
    }
    vec![
        name,
        s.claims.to_string(),
        s.sources.to_string(),
        format!("{}: {}", s.origins.len(), ids.join(", ")),
    ]
}

fn weak_cells(data: &Dataset, w: &WeakClaim) -> Vec<String> {
    vec![
        data.claim(w.claim).id.clone(),
        data.source(w.rests_on).id.clone(),
        w.reasons
            .iter()
            .map(|r| reason(data, r))
            .collect::<Vec<_>>()
            .join("; "),
        w.other_origins.to_string(),
    ]
}

fn reason(data: &Dataset, r: &WeakReason) -> String {
    match *r {
        WeakReason::LowGrade(g) => format!("graded {g}"),
        WeakReason::Party {
            party,
            about_itself: true,
        } => {
            format!("speaks for {} about itself", data.entity(party).id)
        }
        WeakReason::Party {
            party,
            about_itself: false,
        } => format!("speaks for {}", data.entity(party).id),
    }
}

/// Cuts text to `width` characters, ending in `…` when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// An aligned text table: a header row, then the rows; columns two spaces apart, numbers on the
/// right, no trailing spaces. Widths count characters.
pub(crate) fn table(headers: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths[i] - cell.chars().count();
            if right.get(i).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn md_table(out: &mut String, headers: &[&str], right: &[bool], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let rule: Vec<&str> = right
        .iter()
        .map(|&r| if r { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "|{}|", rule.join("|"));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

/// The citation tree drawn with guides: `├──`, `└──` and `│` under a source whose children
/// continue. Lines deeper than [`MAX_INDENT`] keep the first levels' guides and show their depth,
/// so a chain of 100,000 sources stays linear in size.
pub fn tree_text(data: &Dataset, lines: &[TreeLine]) -> String {
    let mut out = String::new();
    // more[d]: the ancestor at depth d has children still to come.
    let mut more: Vec<bool> = Vec::new();
    for line in lines {
        let d = line.depth;
        more.truncate(d);
        if d > 0 {
            for &m in more.iter().skip(1).take(MAX_INDENT - 1) {
                out.push_str(if m { "│   " } else { "    " });
            }
            if d > MAX_INDENT {
                let _ = write!(out, "[depth {d}] ");
            }
            out.push_str(if line.last {
                "└── "
            } else {
                "├── "
            });
        }
        out.push_str(&data.source(line.source).id);
        if let Some(via) = line.via {
            let _ = write!(out, " ({})", via.as_str());
        }
        match line.mark {
            Mark::First => {}
            Mark::Repeat => out.push_str(" ↑"),
            Mark::Cycle => out.push_str(" ↻"),
        }
        out.push('\n');
        more.resize(d, false);
        more.push(!line.last);
    }
    out
}

#[derive(Serialize)]
struct JsonAudit<'a> {
    version: u32,
    sources: Vec<JsonSource<'a>>,
    citations: Vec<JsonTreeLine<'a>>,
    series: Vec<JsonSeries<'a>>,
    weak: Vec<JsonWeak<'a>>,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    id: &'a str,
    kind: &'static str,
    grade: Option<String>,
    publisher: Option<&'a str>,
    published: Option<String>,
    party: Option<&'a str>,
    claims: usize,
    quoted: usize,
    located: usize,
    according_to: Vec<JsonAttribution<'a>>,
    file: &'a str,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonAttribution<'a> {
    source: &'a str,
    claims: usize,
}

#[derive(Serialize)]
struct JsonTreeLine<'a> {
    depth: usize,
    source: &'a str,
    via: Option<&'static str>,
    mark: &'static str,
}

#[derive(Serialize)]
struct JsonSeries<'a> {
    subject: &'a str,
    property: &'a str,
    scope: Option<&'a str>,
    claims: usize,
    sources: usize,
    origins: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonWeak<'a> {
    claim: &'a str,
    source: &'a str,
    rests_on: &'a str,
    reasons: Vec<JsonReason<'a>>,
    other_origins: usize,
    file: &'a str,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum JsonReason<'a> {
    LowGrade { grade: String },
    Party { party: &'a str, about_itself: bool },
}

/// The audit as one JSON object: `{"version": 1, "sources", "citations", "series", "weak"}`.
/// The tree is a flat list of lines with their depth, so no chain is too deep to print.
pub fn render_json(data: &Dataset, audit: &Audit) -> String {
    let location = |span: Span| data.files.location(span);
    let id = |s: SourceIdx| data.source(s).id.as_str();
    let json = JsonAudit {
        version: 1,
        sources: audit
            .sources
            .iter()
            .map(|u| {
                let s = data.source(u.source);
                let loc = location(s.span);
                JsonSource {
                    id: &s.id,
                    kind: kind(s.kind),
                    grade: s.grade.as_ref().map(|g| g.value.to_string()),
                    publisher: s.publisher.as_deref(),
                    published: s.published.as_ref().map(|p| p.value.to_string()),
                    party: s.party.map(|p| data.entity(p).id.as_str()),
                    claims: u.claims,
                    quoted: u.quoted,
                    located: u.located,
                    according_to: u
                        .attributions
                        .iter()
                        .map(|&(a, claims)| JsonAttribution {
                            source: id(a),
                            claims,
                        })
                        .collect(),
                    file: loc.file,
                    line: loc.line,
                    column: loc.column,
                }
            })
            .collect(),
        citations: audit
            .citations
            .iter()
            .map(|l| JsonTreeLine {
                depth: l.depth,
                source: id(l.source),
                via: l.via.map(|v| v.as_str()),
                mark: match l.mark {
                    Mark::First => "first",
                    Mark::Repeat => "repeat",
                    Mark::Cycle => "cycle",
                },
            })
            .collect(),
        series: audit
            .series
            .iter()
            .map(|s| JsonSeries {
                subject: &data.entity(s.subject).id,
                property: &data.property(s.property).id,
                scope: (!s.scope.is_empty()).then_some(s.scope.as_str()),
                claims: s.claims,
                sources: s.sources,
                origins: s.origins.iter().map(|&o| id(o)).collect(),
            })
            .collect(),
        weak: audit
            .weak
            .iter()
            .map(|w| {
                let claim = data.claim(w.claim);
                let loc = location(claim.value_text.span);
                JsonWeak {
                    claim: &claim.id,
                    source: id(claim.source),
                    rests_on: id(w.rests_on),
                    reasons: w
                        .reasons
                        .iter()
                        .map(|r| match *r {
                            WeakReason::LowGrade(g) => JsonReason::LowGrade {
                                grade: g.to_string(),
                            },
                            WeakReason::Party {
                                party,
                                about_itself,
                            } => JsonReason::Party {
                                party: &data.entity(party).id,
                                about_itself,
                            },
                        })
                        .collect(),
                    other_origins: w.other_origins,
                    file: loc.file,
                    line: loc.line,
                    column: loc.column,
                }
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&json).expect("an audit always serializes");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_without_claiming_all_or_none() {
        assert_eq!(percent(1, 2), 50);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(199, 200), 99);
        assert_eq!(percent(1, 300), 1);
        assert_eq!(percent(0, 3), 0);
        assert_eq!(percent(3, 3), 100);
    }

    #[test]
    fn tables_align_and_trim() {
        let rows = vec![
            vec!["a".to_string(), "1".into(), "x".into()],
            vec!["bbb".into(), "22".into(), "".into()],
        ];
        assert_eq!(
            table(&["id", "n", "note"], &[false, true, false], &rows),
            "id    n  note\na     1  x\nbbb  22\n"
        );
    }

    /// `n` secondary sources, each citing the next; the last cites the first when `closed`.
    fn chain(n: u32, closed: bool) -> Dataset {
        use crate::model::{Source, Spanned};
        use crate::source_map::FileId;
        let span = Span::new(FileId(0), 0..0);
        let mut data = Dataset::default();
        for i in 0..n {
            let next = if i + 1 < n {
                Some(i + 1)
            } else {
                closed.then_some(0)
            };
            data.sources.push(Source {
                id: format!("s{i:06}"),
                span,
                title: String::new(),
                publisher: None,
                author: None,
                url: None,
                language: None,
                note: None,
                published: None,
                kind: SourceKind::Secondary,
                party: None,
                grade: None,
                cites: next
                    .map(|t| Spanned {
                        value: SourceIdx(t),
                        span,
                    })
                    .into_iter()
                    .collect(),
                text: None,
            });
        }
        data
    }

    #[test]
    fn a_chain_of_100_000_sources_is_audited_and_drawn() {
        let data = chain(100_000, false);
        let audit = crate::engine::audit::audit(&data);
        assert_eq!(audit.citations.len(), 100_000);
        let text = tree_text(&data, &audit.citations);
        assert_eq!(text.lines().count(), 100_000);
        // Guides stop at MAX_INDENT levels: the text stays linear in the number of lines.
        assert!(
            text.len() < 100_000 * (MAX_INDENT * 4 + 40),
            "{}",
            text.len()
        );
        let last = text.lines().last().unwrap();
        assert!(
            last.ends_with("[depth 99999] └── s099999 (cites)"),
            "{last}"
        );
        // The same chain closed into a circle: no root, so the first source stands for one.
        let data = chain(100_000, true);
        let audit = crate::engine::audit::audit(&data);
        assert_eq!(audit.citations.len(), 100_001);
        assert!(tree_text(&data, &audit.citations).ends_with("└── s000000 (cites) ↻\n"));
    }

    #[test]
    fn a_closed_circle_of_100_000_sources_is_its_own_origin() {
        use crate::model::{
            Claim, Entity, Measure, Property, PropertyIdx, PropertyType, Spanned, Status, Value,
        };
        use crate::source_map::FileId;
        use crate::value::Interval;
        let span = Span::new(FileId(0), 0..0);
        let mut data = chain(100_000, true);
        data.entities.push(Entity {
            id: "e".into(),
            span,
            name: Spanned {
                value: "E".into(),
                span,
            },
            kind: None,
            aliases: Vec::new(),
            part_of: None,
            not_same_as: Vec::new(),
            note: None,
        });
        data.properties.push(Property {
            id: "p".into(),
            span,
            ty: PropertyType::Quantity,
            unit: None,
            measure: Measure::Level,
            additive: false,
            terminal: false,
            single: true,
            description: None,
        });
        for (k, source) in [0u32, 3, 50_000, 99_999].into_iter().enumerate() {
            data.claims.push(Claim {
                id: format!("c{k}"),
                id_written: true,
                quote_start: None,
                span,
                source: SourceIdx(source),
                subject: Spanned {
                    value: crate::model::EntityIdx(0),
                    span,
                },
                property: PropertyIdx(0),
                value: Value::Quantity(Interval::exact(1.0)),
                value_text: Spanned {
                    value: "1".into(),
                    span,
                },
                as_of: None,
                as_of_span: None,
                scope: String::new(),
                according_to: None,
                status: Status::Asserted,
                quote: None,
                locator: None,
                note: None,
            });
        }
        let audit = crate::engine::audit::audit(&data);
        assert_eq!(audit.series.len(), 1);
        assert_eq!((audit.series[0].claims, audit.series[0].sources), (4, 4));
        assert_eq!(audit.series[0].origins.len(), 100_000);
    }

    #[test]
    fn cut_marks_what_it_cuts() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
    }
}
