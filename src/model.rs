//! Resolved records: what the loader hands to the engine. Every reference is an index into the
//! [`Dataset`], every value is parsed, and every record keeps the spans its messages point at.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use crate::source_map::{FileId, SourceMap, Span};
use crate::value::{DayRange, Interval, ValueSettings};

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// Index of a [`Source`] in [`Dataset::sources`].
    SourceIdx
);
index_type!(
    /// Index of an [`Entity`] in [`Dataset::entities`].
    EntityIdx
);
index_type!(
    /// Index of a [`Property`] in [`Dataset::properties`].
    PropertyIdx
);
index_type!(
    /// Index of a [`Claim`] in [`Dataset::claims`].
    ClaimIdx
);

/// A value with the span of the text it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SourceKind {
    Primary,
    Secondary,
}

/// An Admiralty grade: reliability `A`–`F` and credibility `1`–`6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Grade {
    pub reliability: char,
    pub credibility: u8,
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.reliability, self.credibility)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub id: String,
    /// Span of the record's `id` value.
    pub span: Span,
    pub title: String,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub note: Option<String>,
    pub published: Option<Spanned<DayRange>>,
    pub kind: SourceKind,
    pub party: Option<EntityIdx>,
    pub grade: Option<Spanned<Grade>>,
    pub cites: Vec<Spanned<SourceIdx>>,
    /// The plain-text copy of the document, loaded into the source map (checked to lie inside
    /// the data set).
    pub text: Option<FileId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    Group,
    Person,
    Place,
    Organisation,
    Event,
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub span: Span,
    pub name: Spanned<String>,
    pub kind: Option<EntityKind>,
    pub aliases: Vec<Spanned<String>>,
    pub part_of: Option<Spanned<EntityIdx>>,
    pub not_same_as: Vec<Spanned<EntityIdx>>,
    pub note: Option<String>,
}

impl Entity {
    /// The display name and every alias, each with its span.
    pub fn names(&self) -> impl Iterator<Item = &Spanned<String>> {
        std::iter::once(&self.name).chain(self.aliases.iter())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PropertyType {
    Quantity,
    Date,
    Entity,
    Set,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// A state that holds at a time (fighters, members).
    Level,
    /// A total over the claim's period (attacks, casualties).
    Count,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Property {
    pub id: String,
    pub span: Span,
    pub ty: PropertyType,
    pub unit: Option<String>,
    pub measure: Measure,
    pub additive: bool,
    pub terminal: bool,
    pub single: bool,
    pub description: Option<String>,
}

/// One member of a set value: an entity when the text names one, else the text itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SetItem {
    Entity(EntityIdx),
    /// Text folded for comparison (lower case, single spaces).
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Quantity(Interval),
    Date(DayRange),
    Entity(EntityIdx),
    /// Sorted and deduplicated.
    Set(Vec<SetItem>),
    /// Folded for comparison (lower case, single spaces); the claim keeps the text as written.
    Text(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    Asserted,
    Unconfirmed,
    Denied,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claim {
    pub id: String,
    /// Whether the file gave the id; else it is the default id, numbered in file order.
    pub id_written: bool,
    /// Span of the `[[claim]]` header.
    pub span: Span,
    pub source: SourceIdx,
    pub subject: Spanned<EntityIdx>,
    pub property: PropertyIdx,
    pub value: Value,
    /// The value as written in the file, and its span: what reports show.
    pub value_text: Spanned<String>,
    /// When the value held; `None` for an undated claim.
    pub as_of: Option<DayRange>,
    /// Where the date came from when it was not written on the claim itself.
    pub as_of_span: Option<Span>,
    /// Scope folded for comparison (lower case, single spaces), empty when absent.
    pub scope: String,
    pub according_to: Option<Spanned<SourceIdx>>,
    pub status: Status,
    pub quote: Option<Spanned<String>>,
    /// Where the quote's text starts in its file, when the file holds it verbatim (no
    /// escapes): places inside the quote can then be pointed at without the file's text.
    pub quote_start: Option<u32>,
    pub locator: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Off,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Off => "off",
        }
    }

    /// One level lower: error → warning → info; info stays info.
    pub fn lowered(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            Severity::Warning | Severity::Info => Severity::Info,
            Severity::Off => Severity::Off,
        }
    }
}

/// A parameter of a `[[rule]]` record, kept as written: the engine knows each kind's
/// parameters and checks them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ParamValue {
    String(String),
    Number(f64),
    Bool(bool),
    List(Vec<String>),
}

/// `where` of a `[[rule]]`: the rule applies only to claims matching every list given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Selector {
    pub subjects: Vec<EntityIdx>,
    pub properties: Vec<PropertyIdx>,
    pub sources: Vec<SourceIdx>,
}

impl Selector {
    pub fn is_empty(&self) -> bool {
        self.subjects.is_empty() && self.properties.is_empty() && self.sources.is_empty()
    }
}

/// A `[[rule]]` record: overrides a built-in rule by id, or adds a rule of a built-in kind.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleRecord {
    pub id: Spanned<String>,
    pub kind: Option<Spanned<String>>,
    pub severity: Option<Spanned<Severity>>,
    pub selector: Selector,
    pub params: Vec<(Spanned<String>, Spanned<ParamValue>)>,
}

/// An `[[accepted]]` record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Acceptance {
    pub finding: Spanned<String>,
    pub reason: String,
    pub by: Option<String>,
    pub date: Option<String>,
}

/// Settings from `crosscheck.toml` (SPEC section 8).
#[derive(Debug, Clone)]
pub struct Settings {
    pub fail_on: Option<Severity>,
    pub default_rules: bool,
    pub values: ValueSettings,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            fail_on: None,
            default_rules: true,
            values: ValueSettings::default(),
        }
    }
}

/// A table keyed by names or ids. foldhash rather than the standard SipHash: hashing the
/// names of 100,000 entities was a fifth of a re-check; its per-process random seed keeps
/// some resistance to crafted collisions, and nothing depends on a table's order.
pub type NameMap<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// Everything a data set holds, resolved.
#[derive(Debug, Default)]
pub struct Dataset {
    pub root: PathBuf,
    pub files: SourceMap,
    pub settings: Settings,
    pub sources: Vec<Source>,
    pub entities: Vec<Entity>,
    pub properties: Vec<Property>,
    pub claims: Vec<Claim>,
    pub rules: Vec<RuleRecord>,
    pub accepted: Vec<Acceptance>,
    /// Where `accepted.toml` lives (or would be created).
    pub accepted_path: PathBuf,
    pub(crate) entity_names: NameMap<EntityIdx>,
    /// How long each step of loading took, for `--timings`; never part of a report.
    pub timings: Vec<Timing>,
}

/// How long one step took (wall time), and the process's peak memory when it ended, for
/// `--timings`.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    pub step: String,
    pub took: std::time::Duration,
    /// The most memory the process had held so far (bytes), where the system says.
    pub peak_memory: Option<u64>,
}

impl Timing {
    /// The time since `start`, under the name `step`.
    pub fn since(step: impl Into<String>, start: std::time::Instant) -> Timing {
        Timing {
            step: step.into(),
            took: start.elapsed(),
            peak_memory: peak_memory(),
        }
    }
}

/// The process's peak resident memory so far: `VmHWM` on Linux, `None` elsewhere or when
/// `/proc` cannot be read. Measuring each step this way shows which one sets the peak.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

impl Dataset {
    pub fn source(&self, idx: SourceIdx) -> &Source {
        &self.sources[idx.index()]
    }

    pub fn entity(&self, idx: EntityIdx) -> &Entity {
        &self.entities[idx.index()]
    }

    pub fn property(&self, idx: PropertyIdx) -> &Property {
        &self.properties[idx.index()]
    }

    pub fn claim(&self, idx: ClaimIdx) -> &Claim {
        &self.claims[idx.index()]
    }

    pub fn claim_indices(&self) -> impl Iterator<Item = ClaimIdx> + use<> {
        (0..self.claims.len() as u32).map(ClaimIdx)
    }

    /// The entity with this id, name or alias (case-insensitive).
    pub fn entity_by_name(&self, name: &str) -> Option<EntityIdx> {
        self.entity_names.get(&fold(name)).copied()
    }

    pub fn source_by_id(&self, id: &str) -> Option<SourceIdx> {
        self.sources
            .iter()
            .position(|s| s.id == id)
            .map(|i| SourceIdx(i as u32))
    }

    pub fn property_by_id(&self, id: &str) -> Option<PropertyIdx> {
        self.properties
            .iter()
            .position(|p| p.id == id)
            .map(|i| PropertyIdx(i as u32))
    }
}

/// Folds text for comparison: lower case, runs of white space as one space, trimmed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}
