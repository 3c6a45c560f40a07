//! One file's text → its records, still unresolved (references are names, not indices).
//! Files are independent here, which is what lets the loader parse them in parallel.

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

use super::fields::{Fields, RawStr, RawValue};
use super::suggest::{did_you_mean, help_for};
use crate::diag::Diagnostic;
use crate::model::{
    Acceptance, EntityKind, Grade, Measure, ParamValue, Property, PropertyType, Severity,
    SourceKind, Spanned, Status,
};
use crate::source_map::{FileId, Span};
use crate::value::DayRange;

pub const RECORD_KINDS: [&str; 6] = ["source", "claim", "entity", "property", "rule", "accepted"];

const SOURCE_KEYS: &[&str] = &[
    "id",
    "title",
    "publisher",
    "author",
    "url",
    "language",
    "note",
    "published",
    "kind",
    "party",
    "grade",
    "cites",
    "text",
];
const CLAIM_KEYS: &[&str] = &[
    "id",
    "source",
    "subject",
    "property",
    "value",
    "as_of",
    "scope",
    "according_to",
    "status",
    "quote",
    "locator",
    "note",
];
const ENTITY_KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "aliases",
    "part_of",
    "not_same_as",
    "note",
];
const PROPERTY_KEYS: &[&str] = &[
    "id",
    "type",
    "unit",
    "measure",
    "additive",
    "terminal",
    "single",
    "description",
];
/// Keys every `[[rule]]` takes; any other key is a parameter of the rule's kind.
pub const RULE_KEYS: &[&str] = &["id", "kind", "severity", "where"];
const ACCEPTED_KEYS: &[&str] = &["finding", "reason", "by", "date"];

#[derive(Debug, Serialize, Deserialize)]
pub struct RawSource {
    pub id: Spanned<String>,
    pub title: String,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub note: Option<String>,
    pub published: Option<Spanned<DayRange>>,
    pub kind: SourceKind,
    pub party: Option<Spanned<String>>,
    pub grade: Option<Spanned<Grade>>,
    pub cites: Vec<Spanned<String>>,
    pub text: Option<Spanned<String>>,
}

/// A claim as its file gives it. Its strings are [`RawStr`]s: places in the file's text.
#[derive(Debug, Serialize, Deserialize)]
pub struct RawClaim {
    pub header: Span,
    pub id: Option<RawStr>,
    pub source: Option<RawStr>,
    pub subject: RawStr,
    pub property: RawStr,
    pub value: Spanned<RawValue>,
    pub as_of: Option<Spanned<DayRange>>,
    pub scope: Option<RawStr>,
    pub according_to: Option<RawStr>,
    pub status: Status,
    pub quote: Option<RawStr>,
    pub locator: Option<RawStr>,
    pub note: Option<RawStr>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RawEntity {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub kind: Option<EntityKind>,
    pub aliases: Vec<Spanned<String>>,
    pub part_of: Option<Spanned<String>>,
    pub not_same_as: Vec<Spanned<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub kind: Option<Spanned<String>>,
    pub severity: Option<Spanned<Severity>>,
    pub subjects: Vec<Spanned<String>>,
    pub properties: Vec<Spanned<String>>,
    pub sources: Vec<Spanned<String>>,
    pub params: Vec<(Spanned<String>, Spanned<ParamValue>)>,
}

/// The records of one file, and every error found in it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct RawFile {
    pub sources: Vec<RawSource>,
    pub claims: Vec<RawClaim>,
    pub entities: Vec<RawEntity>,
    pub properties: Vec<Property>,
    pub rules: Vec<RawRule>,
    pub accepted: Vec<Acceptance>,
    /// Not cached: only files without errors are.
    #[serde(skip)]
    pub errors: Vec<Diagnostic>,
}

/// Parses one data file. TOML syntax errors are all reported (the parser recovers), and the
/// records are still read as far as they can be, so one run shows every problem.
pub fn parse_file(file: FileId, text: &str) -> RawFile {
    let mut out = RawFile::default();
    let (doc, syntax_errors) = DeTable::parse_recoverable(text);
    for err in &syntax_errors {
        out.errors.push(syntax_error(file, text, err));
    }
    if !syntax_errors.is_empty() {
        // Records of a file that does not parse would give confusing follow-on errors.
        return out;
    }
    for (key, value) in doc.get_ref().iter() {
        let key_span = Span::new(file, key.span());
        let Some(kind) = RECORD_KINDS
            .iter()
            .copied()
            .find(|k| *k == key.get_ref().as_ref())
        else {
            out.errors
                .push(unknown_record_kind(key.get_ref(), key_span));
            continue;
        };
        let DeValue::Array(items) = value.get_ref() else {
            out.errors.push(
                Diagnostic::error(format!("`{kind}` must be an array of tables: `[[{kind}]]`"))
                    .with_primary(key_span, format!("write `[[{kind}]]` for each record")),
            );
            continue;
        };
        if kind == "claim" {
            // A file may hold ten thousand claims: grow the vector once, not by doubling
            // (which leaves up to half of it unused until the loader is done).
            out.claims.reserve_exact(items.len());
        }
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                out.errors.push(
                    Diagnostic::error(format!("each `{kind}` must be a table"))
                        .with_primary(Span::new(file, item.span()), "not a table"),
                );
                continue;
            };
            let header = header_span(file, text, item.span(), key_span);
            read_record(&mut out, kind, Fields::new(file, text, table, header, kind));
        }
    }
    out
}

/// The span of a record's `[[kind]]` header, found just before its first key.
fn header_span(file: FileId, text: &str, item: std::ops::Range<usize>, key: Span) -> Span {
    let before = &text[..item.start.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..].trim_start().starts_with("[[") {
        let end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        Span::new(file, line_start..end.max(line_start).min(text.len()))
    } else if item.end > item.start {
        Span::new(file, item)
    } else {
        key
    }
}

fn read_record(out: &mut RawFile, kind: &'static str, mut f: Fields<'_, '_>) {
    match kind {
        "source" => {
            f.check_keys(SOURCE_KEYS);
            if let Some(r) = read_source(&mut f) {
                out.sources.push(r);
            }
        }
        "claim" => {
            f.check_keys(CLAIM_KEYS);
            if let Some(r) = read_claim(&mut f) {
                out.claims.push(r);
            }
        }
        "entity" => {
            f.check_keys(ENTITY_KEYS);
            if let Some(r) = read_entity(&mut f) {
                out.entities.push(r);
            }
        }
        "property" => {
            f.check_keys(PROPERTY_KEYS);
            if let Some(r) = read_property(&mut f) {
                out.properties.push(r);
            }
        }
        "rule" => {
            if let Some(r) = read_rule(&mut f) {
                out.rules.push(r);
            }
        }
        _ => {
            f.check_keys(ACCEPTED_KEYS);
            if let Some(r) = read_accepted(&mut f) {
                out.accepted.push(r);
            }
        }
    }
    out.errors.append(&mut f.errors);
}

fn text_field(f: &mut Fields<'_, '_>, key: &str) -> Option<String> {
    f.string(key).map(|s| s.value)
}

fn read_source(f: &mut Fields<'_, '_>) -> Option<RawSource> {
    let id = f.id("id", true, "");
    let title = f.required_string("title");
    let grade = f.string("grade").and_then(|g| read_grade(f, g));
    let source = RawSource {
        publisher: text_field(f, "publisher"),
        author: text_field(f, "author"),
        url: text_field(f, "url"),
        language: text_field(f, "language"),
        note: text_field(f, "note"),
        published: f.period("published"),
        kind: f
            .choice(
                "kind",
                &[
                    ("primary", SourceKind::Primary),
                    ("secondary", SourceKind::Secondary),
                ],
            )
            .map_or(SourceKind::Secondary, |k| k.value),
        party: f.string("party"),
        grade,
        cites: f.string_list("cites"),
        text: f.string("text"),
        id: id?,
        title: title?.value,
    };
    Some(source)
}

fn read_grade(f: &mut Fields<'_, '_>, grade: Spanned<String>) -> Option<Spanned<Grade>> {
    let mut chars = grade.value.trim().chars();
    let parsed = match (chars.next(), chars.next(), chars.next()) {
        (Some(r), Some(c), None) => {
            let r = r.to_ascii_uppercase();
            let c = c.to_digit(10).unwrap_or(0);
            (('A'..='F').contains(&r) && (1..=6).contains(&c)).then_some(Grade {
                reliability: r,
                credibility: c as u8,
            })
        }
        _ => None,
    };
    if parsed.is_none() {
        f.errors.push(
            Diagnostic::error(format!("`{}` is not an Admiralty grade", grade.value))
                .with_primary(grade.span, "expected a letter A–F then a digit 1–6")
                .with_note("A–F rates the source's reliability, 1–6 the information's credibility")
                .with_help("for example `grade = \"B2\"`"),
        );
    }
    parsed.map(|value| Spanned {
        value,
        span: grade.span,
    })
}

fn read_claim(f: &mut Fields<'_, '_>) -> Option<RawClaim> {
    let id = f.raw_id("id", false, "/~");
    let subject = f.required_raw_str("subject");
    let property = f.required_raw_str("property");
    let value = f.raw_value("value");
    let claim = RawClaim {
        header: f.header,
        source: f.raw_str("source"),
        as_of: f.period("as_of"),
        scope: f.raw_str("scope"),
        according_to: f.raw_str("according_to"),
        status: f
            .choice(
                "status",
                &[
                    ("asserted", Status::Asserted),
                    ("unconfirmed", Status::Unconfirmed),
                    ("denied", Status::Denied),
                ],
            )
            .map_or(Status::Asserted, |s| s.value),
        quote: f.raw_str("quote"),
        locator: f.raw_str("locator"),
        note: f.raw_str("note"),
        id,
        subject: subject?,
        property: property?,
        value: value?,
    };
    Some(claim)
}

fn read_entity(f: &mut Fields<'_, '_>) -> Option<RawEntity> {
    let id = f.id("id", true, "");
    let name = f.required_string("name");
    let entity = RawEntity {
        kind: f
            .choice(
                "kind",
                &[
                    ("group", EntityKind::Group),
                    ("person", EntityKind::Person),
                    ("place", EntityKind::Place),
                    ("organisation", EntityKind::Organisation),
                    ("organization", EntityKind::Organisation),
                    ("event", EntityKind::Event),
                    ("other", EntityKind::Other),
                ],
            )
            .map(|k| k.value),
        aliases: f.string_list("aliases"),
        part_of: f.string("part_of"),
        not_same_as: f.string_list("not_same_as"),
        note: text_field(f, "note"),
        id: id?,
        name: name?,
    };
    Some(entity)
}

fn read_property(f: &mut Fields<'_, '_>) -> Option<Property> {
    let id = f.id("id", true, "");
    let ty = if f.string("type").is_none() && f.errors.is_empty() {
        f.required_string("type");
        None
    } else {
        f.choice(
            "type",
            &[
                ("quantity", PropertyType::Quantity),
                ("date", PropertyType::Date),
                ("entity", PropertyType::Entity),
                ("set", PropertyType::Set),
                ("text", PropertyType::Text),
            ],
        )
    };
    let measure = f.choice(
        "measure",
        &[("level", Measure::Level), ("count", Measure::Count)],
    );
    let additive = f.bool("additive");
    let terminal = f.bool("terminal");
    let single = f.bool("single");
    let ty = ty?.value;
    for (flag, key, wanted) in [
        (
            &measure.as_ref().map(|m| m.span),
            "measure",
            PropertyType::Quantity,
        ),
        (
            &additive.as_ref().map(|m| m.span),
            "additive",
            PropertyType::Quantity,
        ),
        (
            &terminal.as_ref().map(|m| m.span),
            "terminal",
            PropertyType::Date,
        ),
    ] {
        if let Some(span) = flag.filter(|_| ty != wanted) {
            f.errors.push(
                Diagnostic::error(format!(
                    "`{key}` applies only to properties of type `{}`",
                    type_word(wanted)
                ))
                .with_primary(
                    span,
                    format!("this property is of type `{}`", type_word(ty)),
                ),
            );
        }
    }
    Some(Property {
        id: id.as_ref()?.value.clone(),
        span: id?.span,
        ty,
        unit: text_field(f, "unit"),
        measure: measure.map_or(Measure::Level, |m| m.value),
        additive: additive.is_some_and(|a| a.value),
        terminal: terminal.is_some_and(|t| t.value),
        single: single.map_or(ty != PropertyType::Set, |s| s.value),
        description: text_field(f, "description"),
    })
}

pub fn type_word(ty: PropertyType) -> &'static str {
    match ty {
        PropertyType::Quantity => "quantity",
        PropertyType::Date => "date",
        PropertyType::Entity => "entity",
        PropertyType::Set => "set",
        PropertyType::Text => "text",
    }
}

fn read_rule(f: &mut Fields<'_, '_>) -> Option<RawRule> {
    let id = f.id("id", true, "");
    let kind = f.string("kind");
    let severity = f.choice(
        "severity",
        &[
            ("error", Severity::Error),
            ("warning", Severity::Warning),
            ("info", Severity::Info),
            ("off", Severity::Off),
        ],
    );
    let (mut subjects, mut properties, mut sources) = (Vec::new(), Vec::new(), Vec::new());
    if let Some((table, _)) = f.table("where") {
        let file = f.header.file;
        let text_of = |v: &toml::Spanned<DeValue<'_>>| -> Option<Vec<Spanned<String>>> {
            match v.get_ref() {
                DeValue::String(s) => Some(vec![Spanned {
                    value: s.to_string(),
                    span: Span::new(file, v.span()),
                }]),
                DeValue::Array(items) => items
                    .iter()
                    .map(|i| match i.get_ref() {
                        DeValue::String(s) => Some(Spanned {
                            value: s.to_string(),
                            span: Span::new(file, i.span()),
                        }),
                        _ => None,
                    })
                    .collect(),
                _ => None,
            }
        };
        for (key, value) in table.iter() {
            let target = match key.get_ref().as_ref() {
                "subject" => &mut subjects,
                "property" => &mut properties,
                "source" => &mut sources,
                other => {
                    let mut diag =
                        Diagnostic::error(format!("unknown selector `{other}` in `where`"))
                            .with_primary(
                                Span::new(file, key.span()),
                                "expected subject, property or source",
                            );
                    if let Some(help) =
                        help_for(did_you_mean(other, ["subject", "property", "source"]))
                    {
                        diag = diag.with_help(help);
                    }
                    f.errors.push(diag);
                    continue;
                }
            };
            match text_of(value) {
                Some(list) => target.extend(list),
                None => f.errors.push(
                    Diagnostic::error(format!("`where.{}` must be a list of ids", key.get_ref()))
                        .with_primary(
                            Span::new(file, value.span()),
                            "expected a string or a list of strings",
                        ),
                ),
            }
        }
    }
    let params = f
        .rest(RULE_KEYS)
        .into_iter()
        .filter_map(|(key, value)| {
            let span = Span::new(key.span.file, value.span());
            let param = match value.get_ref() {
                DeValue::String(s) => ParamValue::String(s.to_string()),
                DeValue::Integer(i) => ParamValue::Number(i.as_str().parse::<f64>().ok()?),
                DeValue::Float(x) => ParamValue::Number(x.as_str().parse::<f64>().ok()?),
                DeValue::Boolean(b) => ParamValue::Bool(*b),
                DeValue::Array(items) => ParamValue::List(
                    items
                        .iter()
                        .filter_map(|i| match i.get_ref() {
                            DeValue::String(s) => Some(s.to_string()),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => ParamValue::String(String::new()),
            };
            Some((key, Spanned { value: param, span }))
        })
        .collect();
    Some(RawRule {
        id: id?,
        kind,
        severity,
        subjects,
        properties,
        sources,
        params,
    })
}

fn read_accepted(f: &mut Fields<'_, '_>) -> Option<Acceptance> {
    let finding = f.required_string("finding");
    let reason = f.required_string("reason");
    let date = f.period("date").map(|d| d.value.to_string());
    Some(Acceptance {
        by: text_field(f, "by"),
        date,
        finding: finding?,
        reason: reason?.value,
    })
}

fn unknown_record_kind(kind: &str, span: Span) -> Diagnostic {
    let mut diag = Diagnostic::error(format!("unknown record kind `{kind}`"))
        .with_primary(span, "not a record kind")
        .with_note(
            "a data file holds [[source]], [[claim]], [[entity]], [[property]], [[rule]] and [[accepted]] records",
        );
    let singular = kind.strip_suffix('s').unwrap_or(kind);
    let guess = did_you_mean(singular, RECORD_KINDS).or_else(|| did_you_mean(kind, RECORD_KINDS));
    if let Some(help) = help_for(guess) {
        diag = diag.with_help(help);
    }
    diag
}

fn syntax_error(file: FileId, text: &str, err: &toml::de::Error) -> Diagnostic {
    let span = err.span().unwrap_or(0..0);
    let span = span.start.min(text.len())..span.end.min(text.len());
    // toml's message may carry its own rendered snippet; keep the first line only.
    let message = err
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .trim();
    Diagnostic::error(format!("invalid TOML: {message}"))
        .with_primary(Span::new(file, span), message.to_string())
}
