//! Acceptances: recording that a finding was looked at and explained, in the data set's
//! `accepted.toml`.
//!
//! The file is edited, never regenerated: the existing text is parsed with `toml_edit`, one
//! `[[accepted]]` table is appended after everything it holds (its comments and layout stay
//! byte-for-byte), and the result is written atomically ([`crate::fsutil::atomic_write`]), so a
//! crash leaves the old file or the new one, never half of one.

use std::fmt;
use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::engine::{Finding, Report, STALE_ACCEPTANCE};
use crate::model::Dataset;
use crate::value::Day;

/// The comment a new `accepted.toml` starts with.
pub const HEADER: &str = "\
# Findings that were looked at and explained: they no longer fail `crosscheck check`, and every
# report still shows them, as accepted, with the reason. Each record names a finding by its
# fingerprint. Added by `crosscheck accept` and `crosscheck review`; edit by hand as needed.
";

/// An acceptance to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAcceptance {
    /// The finding's fingerprint, as reports print it.
    pub finding: String,
    pub reason: String,
    pub by: Option<String>,
    pub date: Day,
}

/// Why an acceptance was refused or could not be written. Nothing was written in any case.
#[derive(Debug)]
pub enum AcceptError {
    /// The reason is empty or only spaces.
    EmptyReason,
    /// No finding of the current check has this fingerprint.
    UnknownFinding {
        fingerprint: String,
        suggestion: Option<String>,
    },
    /// The finding is accepted already (`place` is where: `accepted.toml:7:11`).
    AlreadyAccepted {
        fingerprint: String,
        place: String,
        reason: String,
    },
    /// The finding reports a stale acceptance: the cure is removing that acceptance.
    StaleAcceptance {
        fingerprint: String,
        place: Option<String>,
    },
    /// `accepted.toml` exists but is not valid TOML.
    NotToml { path: PathBuf, message: String },
    /// `accepted.toml` holds `accepted` as something other than `[[accepted]]` tables.
    WrongShape { path: PathBuf },
    /// Reading or writing the file failed.
    Io {
        path: PathBuf,
        action: &'static str,
        error: std::io::Error,
    },
}

impl fmt::Display for AcceptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AcceptError::EmptyReason => write!(
                f,
                "the reason is empty\n  = help: say why the finding is explained, for example \
                 --reason \"the two reports count different groups\""
            ),
            AcceptError::UnknownFinding {
                fingerprint,
                suggestion,
            } => {
                write!(
                    f,
                    "no finding of the current check has the fingerprint `{fingerprint}`"
                )?;
                if let Some(s) = suggestion {
                    write!(f, "\n  = help: did you mean `{s}`?")?;
                }
                write!(
                    f,
                    "\n  = help: run `crosscheck check` to see the findings, each with its fingerprint"
                )
            }
            AcceptError::AlreadyAccepted {
                fingerprint,
                place,
                reason,
            } => write!(
                f,
                "finding {fingerprint} is already accepted, at {place} (reason: {reason})\n  = note: \
                 nothing was written; to change the reason, edit that record"
            ),
            AcceptError::StaleAcceptance { fingerprint, place } => {
                write!(
                    f,
                    "finding {fingerprint} reports a stale acceptance: remove that acceptance instead \
                     of accepting the finding"
                )?;
                let at = place
                    .as_ref()
                    .map(|p| format!(" at {p}"))
                    .unwrap_or_default();
                write!(
                    f,
                    "\n  = help: delete the [[accepted]] record{at}, or update its fingerprint if its \
                     finding only changed"
                )
            }
            AcceptError::NotToml { path, message } => write!(
                f,
                "{} is not valid TOML, so no acceptance was added to it\n{}\n  = help: fix the \
                 file (`crosscheck check` shows where), then accept again",
                path.display(),
                message.trim_end()
            ),
            AcceptError::WrongShape { path } => write!(
                f,
                "{} defines `accepted` as something other than [[accepted]] tables, so no \
                 acceptance was added to it\n  = help: write each acceptance as an [[accepted]] \
                 table",
                path.display()
            ),
            AcceptError::Io {
                path,
                action,
                error,
            } => {
                write!(
                    f,
                    "cannot {action} {}: {error}; nothing was written",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for AcceptError {}

/// The finding that `fingerprint` names in `report`, if it can be accepted: it exists, it is
/// not accepted yet and it is not itself about a stale acceptance; and `reason` is not empty.
pub fn acceptable<'r>(
    data: &Dataset,
    report: &'r Report,
    fingerprint: &str,
    reason: &str,
) -> Result<&'r Finding, AcceptError> {
    let fingerprint = fingerprint.trim();
    let Some(finding) = report
        .findings
        .iter()
        .find(|f| f.fingerprint == fingerprint)
    else {
        return Err(AcceptError::UnknownFinding {
            fingerprint: fingerprint.to_string(),
            suggestion: suggest(report, fingerprint),
        });
    };
    if finding.rule == STALE_ACCEPTANCE {
        return Err(AcceptError::StaleAcceptance {
            fingerprint: fingerprint.to_string(),
            place: finding.span.map(|s| data.files.location(s).to_string()),
        });
    }
    if let Some(accepted) = &finding.accepted {
        let place = data
            .accepted
            .iter()
            .find(|a| a.finding.value.trim() == fingerprint)
            .map(|a| data.files.location(a.finding.span).to_string())
            .unwrap_or_else(|| data.accepted_path.display().to_string());
        return Err(AcceptError::AlreadyAccepted {
            fingerprint: fingerprint.to_string(),
            place,
            reason: accepted.reason.clone(),
        });
    }
    if reason.trim().is_empty() {
        return Err(AcceptError::EmptyReason);
    }
    Ok(finding)
}

/// The fingerprint the user probably meant: the only one starting with what was typed, else
/// the closest one.
fn suggest(report: &Report, typed: &str) -> Option<String> {
    let candidates = || {
        report
            .findings
            .iter()
            .filter(|f| f.rule != STALE_ACCEPTANCE && f.accepted.is_none())
            .map(|f| f.fingerprint.as_str())
    };
    let typed_lower = typed.to_lowercase();
    let mut starting: Vec<&str> = candidates()
        .filter(|f| !typed.is_empty() && f.starts_with(&typed_lower))
        .collect();
    starting.sort_unstable();
    starting.dedup();
    if let [only] = starting[..] {
        return Some(only.to_string());
    }
    crate::load::did_you_mean(typed, candidates()).map(str::to_string)
}

/// Checks the acceptance against the current check and appends it to the data set's
/// `accepted.toml` (created with [`HEADER`] if missing), atomically. Returns the file written.
pub fn accept(
    data: &Dataset,
    report: &Report,
    acceptance: &NewAcceptance,
) -> Result<PathBuf, AcceptError> {
    acceptable(data, report, &acceptance.finding, &acceptance.reason)?;
    let path = data.accepted_path.clone();
    append_to_file(&path, acceptance)?;
    Ok(path)
}

/// Appends the acceptance to the file at `path` (created if missing), atomically.
pub fn append_to_file(path: &Path, acceptance: &NewAcceptance) -> Result<(), AcceptError> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            return Err(AcceptError::Io {
                path: path.to_path_buf(),
                action: "read",
                error,
            });
        }
    };
    let text = with_acceptance(existing.as_deref(), acceptance).map_err(|e| match e {
        Shape::NotToml(message) => AcceptError::NotToml {
            path: path.to_path_buf(),
            message,
        },
        Shape::Wrong => AcceptError::WrongShape {
            path: path.to_path_buf(),
        },
        Shape::AlreadyThere(reason) => AcceptError::AlreadyAccepted {
            fingerprint: acceptance.finding.trim().to_string(),
            place: path.display().to_string(),
            reason,
        },
    })?;
    crate::fsutil::atomic_write(path, text.as_bytes()).map_err(|error| AcceptError::Io {
        path: path.to_path_buf(),
        action: "write",
        error,
    })
}

/// What is wrong with an existing acceptances file.
#[derive(Debug, PartialEq, Eq)]
pub enum Shape {
    NotToml(String),
    Wrong,
    /// It already holds an acceptance of this fingerprint, for this reason.
    AlreadyThere(String),
}

/// The text of an acceptances file with one more `[[accepted]]` table at its end: the text of
/// `existing` (or [`HEADER`] when there is none) is kept byte-for-byte before it, line endings
/// included.
///
/// `toml_edit` reads the existing text (to refuse a broken file, an `accepted` that is not an
/// array of tables, or a second acceptance of the same finding) and writes the new table, with
/// its strings quoted and escaped; the table is then appended to the text as it was, since
/// `toml_edit` itself would normalise line endings. The result is parsed again as a last check.
pub fn with_acceptance(
    existing: Option<&str>,
    acceptance: &NewAcceptance,
) -> Result<String, Shape> {
    let existing = existing.unwrap_or(HEADER);
    let doc = parse(existing)?;
    let fingerprint = acceptance.finding.trim();
    let before = entries(&doc)?;
    let same =
        |t: &&Table| t.get("finding").and_then(Item::as_str).map(str::trim) == Some(fingerprint);
    if let Some(existing) = before.iter().copied().find(same) {
        let reason = existing
            .get("reason")
            .and_then(Item::as_str)
            .unwrap_or("none given");
        return Err(Shape::AlreadyThere(reason.to_string()));
    }

    let mut table = Table::new();
    table.insert("finding", value(fingerprint));
    table.insert("reason", value(acceptance.reason.trim()));
    if let Some(by) = acceptance
        .by
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        table.insert("by", value(by));
    }
    let date: toml_edit::Datetime = acceptance
        .date
        .to_string()
        .parse()
        .map_err(|_| Shape::Wrong)?;
    table.insert("date", value(date));
    let mut new_entries = ArrayOfTables::new();
    new_entries.push(table);
    let mut entry_doc = DocumentMut::new();
    entry_doc.insert("accepted", Item::ArrayOfTables(new_entries));
    // Strings are escaped on one line, so every newline here ends a line of the table.
    let newline = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let entry = entry_doc.to_string().replace('\n', newline);

    // One blank line between the text before and the new table.
    let mut text = existing.to_string();
    if !existing
        .trim_end_matches(['\n', '\r', ' ', '\t'])
        .is_empty()
    {
        if !text.ends_with('\n') {
            text.push_str(newline);
        }
        if !text.ends_with(&format!("{newline}{newline}")) {
            text.push_str(newline);
        }
    }
    text.push_str(&entry);

    let after = parse(&text)?;
    if entries(&after)?.len() != before.len() + 1 {
        return Err(Shape::Wrong);
    }
    Ok(text)
}

fn parse(text: &str) -> Result<DocumentMut, Shape> {
    text.parse()
        .map_err(|e: toml_edit::TomlError| Shape::NotToml(e.to_string()))
}

/// The `[[accepted]]` tables of a document (none when it has no `accepted` key).
fn entries(doc: &DocumentMut) -> Result<Vec<&Table>, Shape> {
    match doc.get("accepted") {
        None => Ok(Vec::new()),
        Some(Item::ArrayOfTables(a)) => Ok(a.iter().collect()),
        Some(_) => Err(Shape::Wrong),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(finding: &str, reason: &str) -> NewAcceptance {
        NewAcceptance {
            finding: finding.into(),
            reason: reason.into(),
            by: None,
            date: Day::from_ymd(2026, 1, 2).unwrap(),
        }
    }

    const ENTRY: &str = "[[accepted]]\nfinding = \"abc\"\nreason = \"why\"\ndate = 2026-01-02\n";

    #[test]
    fn a_new_file_starts_with_the_header() {
        let text = with_acceptance(None, &new("abc", "why")).unwrap();
        assert_eq!(text, format!("{HEADER}\n{ENTRY}"));
    }

    #[test]
    fn existing_text_is_kept_byte_for_byte() {
        let cases = [
            "# only a comment\n",
            "# only a comment",
            "",
            "\n\n",
            "[[accepted]]\nfinding = \"x\"   # aligned comment\nreason   =   'literal'\n",
            "[[accepted]]\nfinding = \"x\"\nreason = \"r\"\n\n# commented out:\n# [[accepted]]\n# finding = \"y\"\n",
            "[[accepted]]\r\nfinding = \"x\"\r\nreason = \"r\"\r\n",
            "[[accepted]]\nfinding = \"x\"\nreason = \"r\"",
            "[[accepted]]\nfinding = \"x\"\nreason = \"r\"\n\n[[claim]]\nsubject = \"a\"\n\n\n",
        ];
        for existing in cases {
            let text = with_acceptance(Some(existing), &new("abc", "why")).unwrap();
            assert!(text.starts_with(existing), "{existing:?} became {text:?}");
            let added = &text[existing.len()..];
            let entry = if existing.contains("\r\n") {
                ENTRY.replace('\n', "\r\n")
            } else {
                ENTRY.to_string()
            };
            assert!(added.ends_with(&entry), "{existing:?}: added {added:?}");
            assert!(
                added[..added.len() - entry.len()]
                    .chars()
                    .all(|c| c == '\n' || c == '\r')
            );
            let reparsed: DocumentMut = text.parse().unwrap();
            assert!(reparsed["accepted"].as_array_of_tables().is_some());
        }
    }

    #[test]
    fn strings_are_escaped_and_by_is_kept() {
        let mut a = new("abc", "  a \"quoted\" reason\nover two lines ");
        a.by = Some("Ana".into());
        let text = with_acceptance(Some(""), &a).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let entry = &doc["accepted"].as_array().unwrap()[0];
        assert_eq!(
            entry["reason"].as_str(),
            Some("a \"quoted\" reason\nover two lines")
        );
        assert_eq!(entry["by"].as_str(), Some("Ana"));
        assert_eq!(entry["date"].to_string(), "2026-01-02");
    }

    #[test]
    fn refuses_broken_or_odd_files() {
        assert!(matches!(
            with_acceptance(Some("[[accepted]\n"), &new("a", "r")),
            Err(Shape::NotToml(_))
        ));
        assert_eq!(
            with_acceptance(Some("accepted = []\n"), &new("a", "r")),
            Err(Shape::Wrong)
        );
        assert_eq!(
            with_acceptance(Some("[accepted]\n"), &new("a", "r")),
            Err(Shape::Wrong)
        );
        let once = with_acceptance(None, &new("abc", "r")).unwrap();
        assert_eq!(
            with_acceptance(Some(&once), &new(" abc ", "r")),
            Err(Shape::AlreadyThere("r".into()))
        );
    }
}
