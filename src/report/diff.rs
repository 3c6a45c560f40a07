//! The diff report of `crosscheck diff REV`: the findings the working tree adds and resolves
//! against a revision (matched by fingerprint), how many it leaves unchanged, and the claims
//! that changed between the two (matched by claim id; a changed claim's record as a unified
//! diff).
//!
//! Both sides are checked data sets; their file paths read alike (see [`crate::revision`]), so
//! a finding at REV and the same finding now point at the same place.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use serde::Serialize;
use similar::TextDiff;
use toml::de::{DeTable, DeValue};

use super::json::{self, JsonFinding};
use super::{human, markdown, plural};
use crate::diag::{RenderOptions, render};
use crate::engine::{Finding, Report};
use crate::model::{ClaimIdx, Dataset, Severity};
use crate::source_map::FileId;

/// Lines of context around each change in a claim's diff.
const CONTEXT_LINES: usize = 3;

/// A checked data set: one side of the comparison.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub data: &'a Dataset,
    pub report: &'a Report,
}

/// What changed between the revision (`old`) and the working tree (`new`).
pub struct Diff<'a> {
    /// The revision as the user named it.
    pub rev: &'a str,
    pub old: Side<'a>,
    pub new: Side<'a>,
    /// Findings of the working tree whose fingerprint the revision does not have.
    pub added: Vec<&'a Finding>,
    /// Findings of the revision whose fingerprint the working tree does not have.
    pub resolved: Vec<&'a Finding>,
    /// Findings on both sides.
    pub unchanged: usize,
    pub claims: ClaimChanges,
}

/// Claims matched by id. Each list is sorted by claim id.
#[derive(Debug, Default)]
pub struct ClaimChanges {
    /// Claims of the working tree only.
    pub added: Vec<ClaimIdx>,
    /// Claims of the revision only.
    pub removed: Vec<ClaimIdx>,
    /// Claims on both sides whose record text differs.
    pub changed: Vec<ChangedClaim>,
}

#[derive(Debug)]
pub struct ChangedClaim {
    pub id: String,
    pub old: ClaimIdx,
    pub new: ClaimIdx,
    /// The unified diff of the record's text, with the files' line numbers.
    pub diff: String,
}

/// Compares two checked data sets.
pub fn compare<'a>(rev: &'a str, old: Side<'a>, new: Side<'a>) -> Diff<'a> {
    // Fingerprints can repeat (a rule may report the same records twice): match them as a
    // multiset, in report order.
    let mut at_rev: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in old.report.findings.iter().enumerate().rev() {
        at_rev.entry(f.fingerprint.as_str()).or_default().push(i);
    }
    let mut matched = vec![false; old.report.findings.len()];
    let mut added = Vec::new();
    let mut unchanged = 0;
    for f in &new.report.findings {
        match at_rev.get_mut(f.fingerprint.as_str()).and_then(Vec::pop) {
            Some(i) => {
                unchanged += 1;
                matched[i] = true;
            }
            None => added.push(f),
        }
    }
    let resolved = old
        .report
        .findings
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(f, _)| f)
        .collect();
    Diff {
        rev,
        old,
        new,
        added,
        resolved,
        unchanged,
        claims: compare_claims(rev, old.data, new.data),
    }
}

impl Diff<'_> {
    /// A report of the added findings only: what `--fail-on` judges, and what the Markdown,
    /// SARIF and GitHub formats show.
    pub fn added_report(&self) -> Report {
        Report {
            findings: self.added.iter().map(|f| (*f).clone()).collect(),
            rules: self.new.report.rules.clone(),
            timings: Vec::new(),
        }
    }
}

fn compare_claims(rev: &str, old: &Dataset, new: &Dataset) -> ClaimChanges {
    let by_id = |data: &Dataset| -> BTreeMap<String, ClaimIdx> {
        (0..data.claims.len())
            .map(|i| ClaimIdx(i as u32))
            .map(|idx| (data.claim(idx).id.clone(), idx))
            .collect()
    };
    let (old_ids, new_ids) = (by_id(old), by_id(new));
    let mut old_texts = RecordTexts::new(old);
    let mut new_texts = RecordTexts::new(new);
    let mut changes = ClaimChanges::default();
    for (id, &n) in &new_ids {
        let Some(&o) = old_ids.get(id) else {
            changes.added.push(n);
            continue;
        };
        let (old_text, old_line) = old_texts.claim(o);
        let (new_text, new_line) = new_texts.claim(n);
        if old_text == new_text {
            continue;
        }
        let old_file = &old.files.file(old.claim(o).span.file).display;
        let new_file = &new.files.file(new.claim(n).span.file).display;
        let diff = unified_diff(
            (&old_text, old_line, &format!("{rev}:{old_file}")),
            (&new_text, new_line, new_file),
        );
        changes.changed.push(ChangedClaim {
            id: id.clone(),
            old: o,
            new: n,
            diff,
        });
    }
    changes.removed = old_ids
        .iter()
        .filter(|(id, _)| !new_ids.contains_key(*id))
        .map(|(_, &o)| o)
        .collect();
    changes
}

/// `--- a` / `+++ b` and hunks whose line numbers are the files' (the record texts start at
/// `first_line` of their files).
fn unified_diff(old: (&str, usize, &str), new: (&str, usize, &str)) -> String {
    let diff = TextDiff::from_lines(old.0, new.0);
    let mut out = String::new();
    let _ = writeln!(out, "--- {}\n+++ {}", old.2, new.2);
    let mut unified = diff.unified_diff();
    unified
        .context_radius(CONTEXT_LINES)
        .missing_newline_hint(false);
    for hunk in unified.iter_hunks() {
        let ops = hunk.ops();
        let (Some(first), Some(last)) = (ops.first(), ops.last()) else {
            continue;
        };
        let range = |start: usize, end: usize, offset: usize| {
            let len = end - start;
            match len {
                1 => format!("{}", start + offset),
                0 => format!("{},0", start + offset - 1),
                _ => format!("{},{len}", start + offset),
            }
        };
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            range(first.old_range().start, last.old_range().end, old.1),
            range(first.new_range().start, last.new_range().end, new.1)
        );
        for change in hunk.iter_changes() {
            let _ = write!(out, "{}{}", change.tag(), change.value());
            if !change.value().ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out
}

/// The text of each `[[claim]]` record of a data set: from its header to the end of the line
/// of its last value (comments between its keys kept, those after its last key not).
struct RecordTexts<'a> {
    data: &'a Dataset,
    /// Per file: (header line start, record end) of each `[[claim]]`.
    extents: HashMap<FileId, Vec<(usize, usize)>>,
}

impl<'a> RecordTexts<'a> {
    fn new(data: &'a Dataset) -> Self {
        RecordTexts {
            data,
            extents: HashMap::new(),
        }
    }

    /// The record's text (ending in a newline) and the line it starts on.
    fn claim(&mut self, idx: ClaimIdx) -> (String, usize) {
        let header = self.data.claim(idx).span;
        let file = self.data.files.file(header.file);
        let text = file.text.as_str();
        let start = line_start(text, header.start as usize);
        let extents = self
            .extents
            .entry(header.file)
            .or_insert_with(|| claim_extents(text));
        let end = extents
            .iter()
            .find(|(s, _)| *s == start)
            .map_or_else(|| fallback_end(text, start), |(_, e)| *e);
        let mut record = text[start..end].to_string();
        if !record.ends_with('\n') {
            record.push('\n');
        }
        (record, file.line_col(start).0)
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1)
}

fn line_end(text: &str, offset: usize) -> usize {
    text[offset.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// Where each `[[claim]]` of a file starts (its header line) and ends.
fn claim_extents(text: &str) -> Vec<(usize, usize)> {
    let Ok(doc) = DeTable::parse(text) else {
        return Vec::new();
    };
    let Some(claims) = doc.get_ref().get("claim") else {
        return Vec::new();
    };
    let DeValue::Array(items) = claims.get_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let DeValue::Table(table) = item.get_ref() else {
            continue;
        };
        let start = line_start(text, item.span().start);
        let last = table
            .iter()
            .map(|(k, v)| k.span().end.max(v.span().end))
            .chain(std::iter::once(item.span().start))
            .max()
            .unwrap_or(start);
        out.push((start, line_end(text, last.saturating_sub(1).max(start))));
    }
    out
}

/// Without a parse: up to the next line that starts a table.
fn fallback_end(text: &str, start: usize) -> usize {
    let mut at = line_end(text, start);
    while at < text.len() {
        if text[at..].trim_start().starts_with('[') {
            break;
        }
        at = line_end(text, at);
    }
    at
}

/// The human report: the added findings as `check` shows them, a line per resolved finding,
/// the count of unchanged ones, the claim diffs, then a summary line.
pub fn render_human(diff: &Diff, options: RenderOptions) -> String {
    let mut out = String::new();
    for f in &diff.added {
        out.push_str(&render(
            &human::diagnostic(diff.new.data, f),
            &diff.new.data.files,
            options,
        ));
        out.push('\n');
    }
    for f in &diff.resolved {
        let _ = writeln!(out, "resolved: {}", one_line(diff.old.data, f));
    }
    if diff.unchanged > 0 {
        let _ = writeln!(
            out,
            "unchanged: {} already at {}",
            plural(diff.unchanged, "finding"),
            diff.rev
        );
    }
    if !diff.resolved.is_empty() || diff.unchanged > 0 {
        out.push('\n');
    }
    let claims = &diff.claims;
    for &idx in &claims.added {
        let _ = writeln!(
            out,
            "claim added: {} ({})",
            diff.new.data.claim(idx).id,
            place(diff.new.data, idx)
        );
    }
    for &idx in &claims.removed {
        let _ = writeln!(
            out,
            "claim removed: {} (was at {} at {})",
            diff.old.data.claim(idx).id,
            place(diff.old.data, idx),
            diff.rev
        );
    }
    for changed in &claims.changed {
        let _ = writeln!(out, "claim changed: {}", changed.id);
        out.push_str(&paint_diff(&changed.diff, options.color));
    }
    if !(claims.added.is_empty() && claims.removed.is_empty() && claims.changed.is_empty()) {
        out.push('\n');
    }
    out.push_str(&summary_line(diff));
    out.push('\n');
    out
}

/// `added 1 error, 0 warnings, 0 info; resolved 2; unchanged 14 (against HEAD); claims: 1 added, 0 removed, 1 changed`.
pub fn summary_line(diff: &Diff) -> String {
    let count = |severity: Severity| {
        diff.added
            .iter()
            .filter(|f| f.accepted.is_none() && f.severity == severity)
            .count()
    };
    let accepted = diff.added.iter().filter(|f| f.accepted.is_some()).count();
    let mut line = format!(
        "added {}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "info").replace("infos", "info")
    );
    if accepted > 0 {
        let _ = write!(line, " ({accepted} accepted)");
    }
    let _ = write!(
        line,
        "; resolved {}; unchanged {} (against {}); claims: {} added, {} removed, {} changed",
        diff.resolved.len(),
        diff.unchanged,
        diff.rev,
        diff.claims.added.len(),
        diff.claims.removed.len(),
        diff.claims.changed.len()
    );
    line
}

/// `warning[drift] message (file:line:col, fingerprint 0123abcd)`.
fn one_line(data: &Dataset, f: &Finding) -> String {
    let mut line = format!("{}[{}] {}", f.severity.as_str(), f.rule, f.message);
    match f.primary_span(data) {
        Some(span) => {
            let _ = write!(
                line,
                " ({}, fingerprint {})",
                data.files.location(span),
                f.fingerprint
            );
        }
        None => {
            let _ = write!(line, " (fingerprint {})", f.fingerprint);
        }
    }
    line
}

fn place(data: &Dataset, idx: ClaimIdx) -> String {
    data.files.location(data.claim(idx).span).to_string()
}

fn paint_diff(diff: &str, color: bool) -> String {
    if !color {
        return diff.to_string();
    }
    let mut out = String::new();
    for line in diff.lines() {
        let code = match line.as_bytes().first() {
            _ if line.starts_with("---") || line.starts_with("+++") => "1",
            Some(b'@') => "36",
            Some(b'+') => "32",
            Some(b'-') => "31",
            _ => "",
        };
        if code.is_empty() {
            let _ = writeln!(out, "{line}");
        } else {
            let _ = writeln!(out, "\x1b[{code}m{line}\x1b[0m");
        }
    }
    out
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    version: u32,
    rev: &'a str,
    added: Vec<JsonFinding<'a>>,
    resolved: Vec<JsonFinding<'a>>,
    unchanged: usize,
    claims: JsonClaims<'a>,
}

#[derive(Serialize)]
struct JsonClaims<'a> {
    added: Vec<&'a str>,
    removed: Vec<&'a str>,
    changed: Vec<JsonChanged<'a>>,
}

#[derive(Serialize)]
struct JsonChanged<'a> {
    id: &'a str,
    diff: &'a str,
}

/// The JSON report: `{"version": 1, "rev", "added": [...], "resolved": [...], "unchanged": N,
/// "claims": {"added": [ids], "removed": [ids], "changed": [{"id", "diff"}]}}`, findings as in
/// the JSON report of `check`.
pub fn render_json(diff: &Diff) -> String {
    let json = JsonDiff {
        version: 1,
        rev: diff.rev,
        added: diff
            .added
            .iter()
            .map(|f| json::finding(diff.new.data, f))
            .collect(),
        resolved: diff
            .resolved
            .iter()
            .map(|f| json::finding(diff.old.data, f))
            .collect(),
        unchanged: diff.unchanged,
        claims: JsonClaims {
            added: diff
                .claims
                .added
                .iter()
                .map(|&i| diff.new.data.claim(i).id.as_str())
                .collect(),
            removed: diff
                .claims
                .removed
                .iter()
                .map(|&i| diff.old.data.claim(i).id.as_str())
                .collect(),
            changed: diff
                .claims
                .changed
                .iter()
                .map(|c| JsonChanged {
                    id: &c.id,
                    diff: &c.diff,
                })
                .collect(),
        },
    };
    let mut out = serde_json::to_string_pretty(&json).expect("a diff always serializes");
    out.push('\n');
    out
}

/// The Markdown report (for a pull-request comment or a step summary): the added findings as
/// the Markdown report shows them, then the resolved ones, and the claim diffs; cut to fit a
/// GitHub comment ([`markdown::fit_comment`]).
pub fn render_markdown(diff: &Diff) -> String {
    let report = diff.added_report();
    // The Markdown report of the added findings, under a title and a summary line of the diff.
    let body = markdown::render_whole(diff.new.data, &report);
    let mut out = format!(
        "## crosscheck: what this change adds against `{}`\n\n**{}**\n",
        md_code(diff.rev),
        md_text(&summary_line(diff))
    );
    let rest = body.splitn(4, '\n').nth(3).unwrap_or("");
    if rest.trim() == "No findings." {
        out.push_str("\nNo findings added.\n");
    } else {
        out.push_str(rest);
    }
    if !diff.resolved.is_empty() {
        out.push_str("\n### Resolved\n\n");
        for f in &diff.resolved {
            let _ = writeln!(out, "- {}", md_text(&one_line(diff.old.data, f)));
        }
    }
    let claims = &diff.claims;
    if !(claims.added.is_empty() && claims.removed.is_empty() && claims.changed.is_empty()) {
        out.push_str("\n### Claims\n\n");
        for &idx in &claims.added {
            let _ = writeln!(out, "- added: `{}`", md_code(&diff.new.data.claim(idx).id));
        }
        for &idx in &claims.removed {
            let _ = writeln!(
                out,
                "- removed: `{}`",
                md_code(&diff.old.data.claim(idx).id)
            );
        }
        for changed in &claims.changed {
            let fence = if changed.diff.contains("```") {
                "````"
            } else {
                "```"
            };
            let _ = writeln!(
                out,
                "- changed: `{}`\n\n{fence}diff\n{}{fence}",
                md_code(&changed.id),
                changed.diff
            );
        }
    }
    markdown::fit_comment(out)
}

/// Text from the data set, escaped for Markdown prose.
fn md_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a code span: backticks and line breaks removed.
fn md_code(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '`' || c == '\n' || c == '\r' {
                '\''
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_records_end_at_their_last_value() {
        let text = "[[source]]\nid = \"s\"\n\n# before\n[[claim]]\nid = \"a\"\n# inside\nvalue = \"\"\"\n[x]\n\"\"\" # end\n\n# --- next ---\n\n[[claim]]\nid = \"b\"\nvalue = 1";
        let extents = claim_extents(text);
        assert_eq!(extents.len(), 2);
        let (s, e) = extents[0];
        assert_eq!(
            &text[s..e],
            "[[claim]]\nid = \"a\"\n# inside\nvalue = \"\"\"\n[x]\n\"\"\" # end\n"
        );
        let (s, e) = extents[1];
        assert_eq!(&text[s..e], "[[claim]]\nid = \"b\"\nvalue = 1");
    }

    #[test]
    fn diffs_carry_file_line_numbers() {
        let old = "[[claim]]\nid = \"a\"\nvalue = \"1\"\n";
        let new = "[[claim]]\nid = \"a\"\nvalue = \"2\"\n";
        let diff = unified_diff((old, 10, "HEAD:a.toml"), (new, 12, "a.toml"));
        assert_eq!(
            diff,
            "--- HEAD:a.toml\n+++ a.toml\n@@ -10,3 +12,3 @@\n [[claim]]\n id = \"a\"\n-value = \"1\"\n+value = \"2\"\n"
        );
    }

    #[test]
    fn fallback_stops_at_the_next_table() {
        let text = "[[claim]]\nid = \"a\"\n[[claim]]\nid = \"b\"\n";
        assert_eq!(fallback_end(text, 0), 19);
    }
}
