//! The SARIF 2.1.0 report, for code-scanning tools: one run, one `rule` per rule that ran with
//! its documentation, one `result` per finding. A finding's first record is its location and the
//! others are related locations; its fingerprint is a partial fingerprint, so a scanner tracks
//! it across commits; an accepted finding carries a suppression with its reason.
//!
//! Paths are the data set's display paths, relative to `%SRCROOT%` (the directory the check ran
//! in); columns count characters (`columnKind` `unicodeCodePoints`) and an end column is the one
//! after the region, as SARIF defines it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::pack::{RuleDoc, builtin_doc};
use crate::engine::{Finding, Params, Report, RuleConfig, STALE_ACCEPTANCE};
use crate::model::{Dataset, Severity};
use crate::source_map::Span;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor>,
}

/// A `reportingDescriptor`: one rule and its documentation.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    /// Left out where it would only repeat the id: SARIF asks for a name that differs from the id
    /// (ids here are already readable), which the SARIF validator checks ignoring case.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    /// The built-in rule kind; a data set's own rule has an id of its own.
    kind: String,
    /// The parameters the rule ran with, as they are written (`"25%"`, `"90 days"`).
    parameters: BTreeMap<String, String>,
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: Fingerprints<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    /// Bump the version if fingerprints change meaning.
    #[serde(rename = "crosscheck/v1")]
    v1: &'a str,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    fingerprint: &'a str,
    notes: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

/// A text region: 1-based lines and character columns, the end column after the region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<SuppressionProperties<'a>>,
}

#[derive(Serialize)]
struct SuppressionProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
}

/// The report as pretty-printed SARIF, ending in a newline.
pub fn render_report(data: &Dataset, report: &Report) -> String {
    let mut rules: Vec<Descriptor> = report.rules.iter().map(descriptor).collect();
    if report.findings.iter().any(|f| f.rule == STALE_ACCEPTANCE)
        && !report.rules.iter().any(|r| r.id == STALE_ACCEPTANCE)
    {
        rules.push(stale_acceptance_descriptor());
    }
    let results = report
        .findings
        .iter()
        .map(|f| {
            let index = rules.iter().position(|r| r.id == f.rule);
            result(data, f, index)
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "crosscheck",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("a SARIF log always serializes");
    out.push('\n');
    out
}

/// SARIF's level for a severity: `info` is a `note`.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
        Severity::Off => "none",
    }
}

fn descriptor(rule: &RuleConfig) -> Descriptor {
    let kind = rule.kind.id();
    let doc = builtin_doc(kind);
    let mut short = doc.map_or_else(|| format!("A rule of kind {kind}"), |d| d.summary.clone());
    let mut full = doc.map_or_else(String::new, |d| d.docs.what_it_flags.trim().to_string());
    if rule.id != kind {
        short = format!("{} (a `{kind}` rule configured by the data set)", short);
        full = format!(
            "A rule of kind `{kind}`, configured by the data set's `[[rule]]` record `{}`.\n\n{full}",
            rule.id
        );
    }
    if !rule.selector.is_empty() {
        full.push_str("\n\nThe data set limits this rule with `where` to some subjects, properties or sources.");
    }
    let (text, markdown) =
        doc.map_or_else(|| (short.clone(), short.clone()), |d| help(d, &rule.params));
    Descriptor {
        id: rule.id.clone(),
        name: name(&rule.id),
        short_description: Text {
            text: sentence(&short),
        },
        full_description: Text {
            text: sentence(full.trim()),
        },
        help: Help { text, markdown },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: DescriptorProperties {
            kind: kind.to_string(),
            parameters: doc.map_or_else(BTreeMap::new, |d| parameters(d, &rule.params)),
            tags: vec!["crosscheck", "claims"],
        },
    }
}

/// The findings the engine adds for acceptances that match nothing have no rule file: their
/// documentation is here.
fn stale_acceptance_descriptor() -> Descriptor {
    const SUMMARY: &str = "An acceptance whose finding no longer occurs";
    const WHAT: &str = "An `[[accepted]]` record whose fingerprint matches no finding of this check: the \
finding was fixed, or it changed (a claim was added to it or removed), so its fingerprint did too.";
    const WHY: &str = "An acceptance says that one finding was looked at and explained. Left behind, it \
explains nothing, and a reader takes the data set for more reviewed than it is.";
    const SILENCE: &str = "Remove the `[[accepted]]` record; if the finding only changed, accept the new \
finding instead (`crosscheck accept FINGERPRINT --reason \"…\"`).";
    let text = format!(
        "{SUMMARY}.\n\nWhat it flags\n\n{WHAT}\n\nWhy it matters\n\n{WHY}\n\nHow to silence it\n\n{SILENCE}\n"
    );
    let markdown = format!(
        "{SUMMARY}.\n\n## What it flags\n\n{WHAT}\n\n## Why it matters\n\n{WHY}\n\n## How to silence it\n\n{SILENCE}\n"
    );
    Descriptor {
        id: STALE_ACCEPTANCE.to_string(),
        name: name(STALE_ACCEPTANCE),
        short_description: Text {
            text: sentence(SUMMARY),
        },
        full_description: Text {
            text: WHAT.to_string(),
        },
        help: Help { text, markdown },
        default_configuration: Configuration {
            level: level(Severity::Info),
        },
        properties: DescriptorProperties {
            kind: STALE_ACCEPTANCE.to_string(),
            parameters: BTreeMap::new(),
            tags: vec!["crosscheck", "claims"],
        },
    }
}

/// Every documentation section, as plain text and as Markdown (examples fenced as TOML).
fn help(doc: &RuleDoc, params: &Params) -> (String, String) {
    let d = &doc.docs;
    let sections = [
        ("What it flags", &d.what_it_flags, false),
        ("Why it matters", &d.why_it_matters, false),
        ("Example that fires", &d.example_that_fires, true),
        ("Example that does not", &d.example_that_does_not, true),
        ("How to silence it", &d.how_to_silence, false),
    ];
    let summary = sentence(&doc.summary);
    let mut text = format!("{summary}\n");
    let mut markdown = format!("{summary}\n");
    for (title, body, example) in sections {
        let body = body.trim_end();
        text.push_str(&format!("\n{title}\n\n{body}\n"));
        if example {
            markdown.push_str(&format!("\n## {title}\n\n```toml\n{body}\n```\n"));
        } else {
            markdown.push_str(&format!("\n## {title}\n\n{body}\n"));
        }
    }
    if !doc.parameters.is_empty() {
        text.push_str("\nParameters\n\n");
        markdown.push_str("\n## Parameters\n\n");
        let values = parameters(doc, params);
        for (name, p) in &doc.parameters {
            let value = &values[name];
            let line = format!(
                "({}, default \"{}\", here \"{value}\"): {}",
                p.ty,
                p.default,
                p.description.trim()
            );
            text.push_str(&format!("- {name} {line}\n"));
            markdown.push_str(&format!("- `{name}` {line}\n"));
        }
    }
    (text, markdown)
}

/// The rule's parameters as the check ran them, in the documentation's order.
fn parameters(doc: &RuleDoc, params: &Params) -> BTreeMap<String, String> {
    let percent = |f: f64| format!("{}%", crate::value::format_number(f * 100.0));
    doc.parameters
        .keys()
        .map(|name| {
            let value = match name.as_str() {
                "tolerance" => percent(params.tolerance),
                "threshold" => percent(params.threshold),
                "window" => format!("{} days", params.window_days),
                "max_age" => format!("{} days", params.max_age_days),
                _ => doc.parameters[name].default.clone(),
            };
            (name.clone(), value)
        })
        .collect()
}

fn result<'a>(data: &'a Dataset, f: &'a Finding, rule_index: Option<usize>) -> SarifResult<'a> {
    // Every place the finding involves, with its label; the first is the result's location.
    let mut places: Vec<(Span, &str)> = Vec::new();
    for c in &f.claims {
        places.push((
            c.span.unwrap_or(data.claim(c.idx).value_text.span),
            &c.label,
        ));
    }
    for e in &f.entities {
        places.push((e.span.unwrap_or(data.entity(e.idx).span), &e.label));
    }
    for s in &f.sources {
        places.push((s.span.unwrap_or(data.source(s.idx).span), &s.label));
    }
    if let Some(span) = f.span {
        places.push((span, ""));
    }
    let mut locations = Vec::new();
    let mut related = Vec::new();
    for (i, (span, label)) in places.into_iter().enumerate() {
        let message = (!label.is_empty()).then(|| Text {
            text: label.to_string(),
        });
        if i == 0 {
            locations.push(SarifLocation {
                id: None,
                physical_location: physical(data, span),
                message,
            });
        } else {
            related.push(SarifLocation {
                id: Some(i),
                physical_location: physical(data, span),
                message,
            });
        }
    }
    let mut text = sentence(&f.message);
    for note in &f.notes {
        text.push('\n');
        text.push_str(note);
    }
    SarifResult {
        rule_id: &f.rule,
        rule_index,
        level: level(f.severity),
        message: Text { text },
        locations,
        related_locations: related,
        partial_fingerprints: Fingerprints { v1: &f.fingerprint },
        suppressions: f
            .accepted
            .iter()
            .map(|a| Suppression {
                kind: "external",
                status: "accepted",
                justification: &a.reason,
                properties: (a.by.is_some() || a.date.is_some()).then_some(SuppressionProperties {
                    by: a.by.as_deref(),
                    date: a.date.as_deref(),
                }),
            })
            .collect(),
        properties: ResultProperties {
            fingerprint: &f.fingerprint,
            notes: &f.notes,
        },
    }
}

fn physical(data: &Dataset, span: Span) -> PhysicalLocation {
    let display = &data.files.file(span.file).display;
    let (uri, uri_base_id) = file_uri(display);
    PhysicalLocation {
        artifact_location: ArtifactLocation { uri, uri_base_id },
        region: region(data, span),
    }
}

/// The region a span covers.
pub fn region(data: &Dataset, span: Span) -> Region {
    let file = data.files.file(span.file);
    let (start_line, start_column) = file.line_col(span.start as usize);
    let (end_line, end_column) = file.line_col(span.end.max(span.start) as usize);
    Region {
        start_line,
        start_column,
        end_line,
        end_column,
    }
}

/// A display path as a URI reference: a relative path is relative to `%SRCROOT%`; an absolute
/// one (the user named the data set so) becomes a `file:` URI. Anything but unreserved
/// characters and `/` is percent-encoded.
fn file_uri(display: &str) -> (String, Option<&'static str>) {
    let windows_drive =
        display.len() >= 3 && display.as_bytes()[0].is_ascii_alphabetic() && &display[1..3] == ":/";
    if display.starts_with('/') {
        (format!("file://{}", encode_path(display)), None)
    } else if windows_drive {
        (
            format!("file:///{}:{}", &display[..1], encode_path(&display[2..])),
            None,
        )
    } else {
        (encode_path(display), Some(SRCROOT))
    }
}

fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A rule's `name`, when it says more than its id.
fn name(id: &str) -> Option<String> {
    let name = pascal_case(id);
    (!name.eq_ignore_ascii_case(id)).then_some(name)
}

/// `part-exceeds-whole` → `PartExceedsWhole`: a rule's `name`, as SARIF tools show it.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

/// SARIF viewers expect messages to be sentences: a final full stop where none ends the text.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_srcroot_and_encoded() {
        assert_eq!(
            file_uri("examples/a b/ç.toml"),
            ("examples/a%20b/%C3%A7.toml".into(), Some(SRCROOT))
        );
        assert_eq!(
            file_uri("/tmp/x:y.toml"),
            ("file:///tmp/x%3Ay.toml".into(), None)
        );
        assert_eq!(
            file_uri("C:/data/x.toml"),
            ("file:///C:/data/x.toml".into(), None)
        );
    }

    #[test]
    fn names_and_sentences() {
        assert_eq!(pascal_case("part-exceeds-whole"), "PartExceedsWhole");
        assert_eq!(name("stale-acceptance").as_deref(), Some("StaleAcceptance"));
        assert_eq!(name("drift"), None);
        assert_eq!(sentence("a figure"), "a figure.");
        assert_eq!(sentence("done."), "done.");
        assert_eq!(level(Severity::Info), "note");
    }

    #[test]
    fn regions_count_characters_and_end_after_the_span() {
        use crate::source_map::{SourceFile, SourceMap};
        let mut files = SourceMap::default();
        let id = files.add(SourceFile::new(
            "a".into(),
            "a".into(),
            "ab\nçd = \"x\"\n".into(),
        ));
        let data = Dataset {
            files,
            ..Dataset::default()
        };
        // `"x"` on line 2: bytes 9..12, after the two-byte 'ç'.
        let r = region(&data, Span::new(id, 9..12));
        assert_eq!(
            r,
            Region {
                start_line: 2,
                start_column: 6,
                end_line: 2,
                end_column: 9
            }
        );
    }
}
