//! Typed reading of one TOML table's fields, with spans and an error for every wrong key, type
//! or missing field. A record reader never stops at the first problem: it records the error and
//! carries on, so one run reports everything.

use toml::de::{DeTable, DeValue};

use super::suggest::{did_you_mean, help_for};
use crate::diag::Diagnostic;
use crate::model::Spanned;
use crate::source_map::{FileId, Span};
use crate::value::{Day, DayRange, ValueError, parse_period};

type TomlSpanned<'i> = toml::Spanned<DeValue<'i>>;

/// A value as written in a claim's `value`, before the property type says how to read it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum RawValue {
    String(RawStr),
    Number(f64),
    Date(DayRange),
    Array(Vec<Spanned<RawValue>>),
}

/// A string of a raw claim: where it lies in its file's text when the file holds it verbatim
/// (no escapes, so offsets inside it map one to one), else the string itself. Claims stay raw
/// until every file is parsed: owning their strings, a million of them held several hundred
/// megabytes more, and made millions of small allocations.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RawStr {
    /// The value as written, quotes included: where diagnostics point.
    pub span: Span,
    content: Content,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Content {
    /// The bytes `start..end` of the file's text.
    Verbatim {
        start: u32,
        end: u32,
    },
    Escaped(Box<str>),
}

impl RawStr {
    /// The string; `file_text` must be the text of the file it was read from.
    pub fn get<'a>(&'a self, file_text: &'a str) -> &'a str {
        match &self.content {
            Content::Verbatim { start, end } => file_text
                .get(*start as usize..*end as usize)
                .unwrap_or_default(),
            Content::Escaped(s) => s,
        }
    }

    /// Where the string starts in its file, when the file holds it verbatim.
    pub fn verbatim_start(&self) -> Option<u32> {
        match self.content {
            Content::Verbatim { start, .. } => Some(start),
            Content::Escaped(_) => None,
        }
    }

    /// The string with its span, owned.
    pub fn to_spanned(&self, file_text: &str) -> Spanned<String> {
        Spanned {
            value: self.get(file_text).to_string(),
            span: self.span,
        }
    }
}

/// Reads the fields of one record table.
pub struct Fields<'t, 'i> {
    file: FileId,
    text: &'i str,
    table: &'t DeTable<'i>,
    /// The record's header span (`[[claim]]`), where "missing field" errors point.
    pub header: Span,
    what: &'static str,
    pub errors: Vec<Diagnostic>,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(
        file: FileId,
        text: &'i str,
        table: &'t DeTable<'i>,
        header: Span,
        what: &'static str,
    ) -> Self {
        Fields {
            file,
            text,
            table,
            header,
            what,
            errors: Vec::new(),
        }
    }

    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    /// Reports every key not in `allowed`, with the closest allowed key as a suggestion.
    pub fn check_keys(&mut self, allowed: &[&str]) {
        for key in self.table.keys() {
            if allowed.contains(&key.get_ref().as_ref()) {
                continue;
            }
            let mut diag = Diagnostic::error(format!(
                "unknown key `{}` in {}",
                key.get_ref(),
                self.describe()
            ))
            .with_primary(self.span(key.span()), "not a known key")
            .with_note(format!("{} takes: {}", self.describe(), allowed.join(", ")));
            if let Some(help) = help_for(did_you_mean(key.get_ref(), allowed.iter().copied())) {
                diag = diag.with_help(help);
            }
            self.errors.push(diag);
        }
    }

    /// "a claim record", or "the [check] table" for settings.
    fn describe(&self) -> String {
        if self.what.starts_with('[') {
            format!("the {} table", self.what)
        } else if self.what.starts_with(['a', 'e', 'i', 'o', 'u']) {
            format!("an {} record", self.what)
        } else {
            format!("a {} record", self.what)
        }
    }

    /// "this claim record", or "the [check] table".
    fn describe_this(&self) -> String {
        if self.what.starts_with('[') {
            format!("the {} table", self.what)
        } else {
            format!("this {} record", self.what)
        }
    }

    fn get(&self, key: &str) -> Option<&'t TomlSpanned<'i>> {
        self.table.get(key)
    }

    fn type_error(&mut self, key: &str, value: &TomlSpanned<'_>, expected: &str) {
        let found = type_name(value.get_ref());
        self.errors.push(
            Diagnostic::error(format!("`{key}` must be {expected}, not {found}"))
                .with_primary(self.span(value.span()), format!("this is {found}")),
        );
    }

    fn missing(&mut self, key: &str) {
        self.errors.push(
            Diagnostic::error(format!("{} has no `{key}`", self.describe_this()))
                .with_primary(self.header, format!("`{key}` is required here")),
        );
    }

    /// An optional string field, borrowed from the table.
    fn string_ref(&mut self, key: &str) -> Option<(&'t str, Span)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some((s.as_ref(), self.span(value.span()))),
            _ => {
                self.type_error(key, value, "a string");
                None
            }
        }
    }

    /// An optional string field.
    pub fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        self.string_ref(key).map(owned)
    }

    /// An optional string field, kept as [`RawStr`].
    pub fn raw_str(&mut self, key: &str) -> Option<RawStr> {
        let (value, span) = self.string_ref(key)?;
        Some(self.keep(value, span))
    }

    /// A string field that must be present and not blank.
    fn required_string_ref(&mut self, key: &str) -> Option<(&'t str, Span)> {
        if self.get(key).is_none() {
            self.missing(key);
            return None;
        }
        let (value, span) = self.string_ref(key)?;
        if value.trim().is_empty() {
            self.errors.push(
                Diagnostic::error(format!("`{key}` must not be empty")).with_primary(span, "empty"),
            );
            return None;
        }
        Some((value, span))
    }

    /// A string field that must be present and not blank.
    pub fn required_string(&mut self, key: &str) -> Option<Spanned<String>> {
        self.required_string_ref(key).map(owned)
    }

    /// [`Fields::required_string`], kept as [`RawStr`].
    pub fn required_raw_str(&mut self, key: &str) -> Option<RawStr> {
        let (value, span) = self.required_string_ref(key)?;
        Some(self.keep(value, span))
    }

    /// An id field (`[a-z0-9][a-z0-9._-]*`, plus `/` and `~` where `extra` allows them). An
    /// invalid id is reported and still returned, so that references to it resolve.
    fn id_ref(&mut self, key: &str, required: bool, extra: &str) -> Option<(&'t str, Span)> {
        let (value, span) = if required {
            self.required_string_ref(key)?
        } else {
            self.string_ref(key)?
        };
        if let Some((offset, c)) = first_bad_id_char(value, extra) {
            let suggestion = suggest_id(value, extra);
            let mut diag = Diagnostic::error(format!("`{value}` is not a valid id"))
                .with_primary(
                    self.inner_span(value, span, offset, c.len_utf8()),
                    format!("{c:?} is not allowed here"),
                )
                .with_note(format!(
                    "ids start with a lower-case letter or digit, then lower-case letters, digits, `.`, `_`, `-`{}",
                    extra.chars().map(|c| format!(", `{c}`")).collect::<String>()
                ));
            if !suggestion.is_empty() {
                diag = diag.with_help(format!("write it as `{suggestion}`"));
            }
            self.errors.push(diag);
            // The record keeps the id as written: the error fails the load anyway, and
            // references to the record then resolve instead of each adding a follow-on
            // "not defined" error.
        }
        Some((value, span))
    }

    /// See [`Fields::id_ref`].
    pub fn id(&mut self, key: &str, required: bool, extra: &str) -> Option<Spanned<String>> {
        self.id_ref(key, required, extra).map(owned)
    }

    /// [`Fields::id`], kept as [`RawStr`].
    pub fn raw_id(&mut self, key: &str, required: bool, extra: &str) -> Option<RawStr> {
        let (value, span) = self.id_ref(key, required, extra)?;
        Some(self.keep(value, span))
    }

    /// `value`, read from the string value at `span`, as a [`RawStr`]: where it lies in the
    /// file when the parser borrowed it from between the quotes (no escapes to undo).
    fn keep(&self, value: &str, span: Span) -> RawStr {
        let inner = quoted_content(self.text, span.range());
        let at = (value.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        let content = match inner {
            Some(inner) if at == inner.start && value.len() == inner.len() => Content::Verbatim {
                start: inner.start as u32,
                end: inner.end as u32,
            },
            _ => Content::Escaped(value.into()),
        };
        RawStr { span, content }
    }

    /// The span of `len` bytes at `offset` inside a string value, or the whole value when the
    /// file's text between the quotes is not exactly the string (escapes).
    fn inner_span(&self, value: &str, span: Span, offset: usize, len: usize) -> Span {
        match string_content_start(self.text, span.range(), value) {
            Some(start) => self.span(start + offset..start + offset + len),
            None => span,
        }
    }

    /// A field that may be one string or an array of strings.
    pub fn string_list(&mut self, key: &str) -> Vec<Spanned<String>> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::String(s) => vec![Spanned {
                value: s.to_string(),
                span: self.span(value.span()),
            }],
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(Spanned {
                            value: s.to_string(),
                            span: self.span(item.span()),
                        }),
                        _ => self.type_error(key, item, "a list of strings"),
                    }
                }
                out
            }
            _ => {
                self.type_error(key, value, "a string or a list of strings");
                Vec::new()
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> Option<Spanned<bool>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Spanned {
                value: *b,
                span: self.span(value.span()),
            }),
            _ => {
                self.type_error(key, value, "true or false");
                None
            }
        }
    }

    /// One of a fixed set of words, with a suggestion when it is close to one.
    pub fn choice<T: Copy>(&mut self, key: &str, choices: &[(&str, T)]) -> Option<Spanned<T>> {
        let value = self.string(key)?;
        let wanted = value.value.trim().to_lowercase();
        if let Some((_, choice)) = choices.iter().find(|(name, _)| *name == wanted) {
            return Some(Spanned {
                value: *choice,
                span: value.span,
            });
        }
        let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
        let mut diag = Diagnostic::error(format!("`{}` is not a valid `{key}`", value.value))
            .with_primary(value.span, format!("expected one of: {}", names.join(", ")));
        if let Some(help) = help_for(did_you_mean(&wanted, names.iter().copied())) {
            diag = diag.with_help(help);
        }
        self.errors.push(diag);
        None
    }

    /// A date or period: a TOML date or a string in the value language.
    pub fn period(&mut self, key: &str) -> Option<Spanned<DayRange>> {
        let value = self.get(key)?;
        let span = self.span(value.span());
        match value.get_ref() {
            DeValue::Datetime(dt) => match toml_date(dt) {
                Ok(day) => Some(Spanned {
                    value: DayRange::single(day),
                    span,
                }),
                Err(message) => {
                    self.errors.push(
                        Diagnostic::error(format!("`{key}` is not a valid date"))
                            .with_primary(span, message),
                    );
                    None
                }
            },
            DeValue::String(s) => {
                let text = s.to_string();
                match parse_period(&text) {
                    Ok(range) => Some(Spanned { value: range, span }),
                    Err(err) => {
                        let value = Spanned { value: text, span };
                        self.errors.push(self.value_error(key, &value, &err));
                        None
                    }
                }
            }
            _ => {
                self.type_error(key, value, "a date such as 2022-07-31 or \"July 2020\"");
                None
            }
        }
    }

    /// The error for a string that the value language rejected, pointing inside the string.
    pub fn value_error(&self, key: &str, value: &Spanned<String>, err: &ValueError) -> Diagnostic {
        let span = self.inner_span(&value.value, value.span, err.offset, err.len);
        let mut diag = Diagnostic::error(format!(
            "cannot read `{key}` = {:?}: expected {}",
            value.value, err.expected
        ))
        .with_primary(span, format!("expected {}", err.expected));
        if let Some(note) = &err.note {
            diag = diag.with_note(note.clone());
        }
        diag
    }

    /// A claim's `value`: kept raw until the property's type is known.
    pub fn raw_value(&mut self, key: &str) -> Option<Spanned<RawValue>> {
        let Some(value) = self.get(key) else {
            self.missing(key);
            return None;
        };
        self.read_raw(key, value)
    }

    fn read_raw(&mut self, key: &str, value: &TomlSpanned<'i>) -> Option<Spanned<RawValue>> {
        let span = self.span(value.span());
        let raw = match value.get_ref() {
            DeValue::String(s) => RawValue::String(self.keep(s, span)),
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => RawValue::Number(n as f64),
                Err(_) => {
                    self.type_error(key, value, "a number that fits in 64 bits");
                    return None;
                }
            },
            DeValue::Float(f) => match f.as_str().parse::<f64>() {
                Ok(n) if n.is_finite() => RawValue::Number(n),
                _ => {
                    self.type_error(key, value, "a finite number");
                    return None;
                }
            },
            DeValue::Datetime(dt) => match toml_date(dt) {
                Ok(day) => RawValue::Date(DayRange::single(day)),
                Err(message) => {
                    self.errors.push(
                        Diagnostic::error(format!("`{key}` is not a valid date"))
                            .with_primary(span, message),
                    );
                    return None;
                }
            },
            DeValue::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    if let DeValue::Array(_) | DeValue::Table(_) = item.get_ref() {
                        self.type_error(key, item, "a string, number or date inside a list");
                        continue;
                    }
                    out.extend(self.read_raw(key, item));
                }
                RawValue::Array(out)
            }
            DeValue::Boolean(_) | DeValue::Table(_) => {
                self.type_error(key, value, "a string, number, date or list");
                return None;
            }
        };
        Some(Spanned { value: raw, span })
    }

    /// A table-valued field (`where = { subject = [...] }`), read by the caller.
    pub fn table(&mut self, key: &str) -> Option<(&'t DeTable<'i>, Span)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some((t, self.span(value.span()))),
            _ => {
                self.type_error(key, value, "a table such as { subject = [\"ttp\"] }");
                None
            }
        }
    }

    /// Every field whose key is not in `known`, for rule parameters.
    pub fn rest(&self, known: &[&str]) -> Vec<(Spanned<String>, &'t TomlSpanned<'i>)> {
        self.table
            .iter()
            .filter(|(k, _)| !known.contains(&k.get_ref().as_ref()))
            .map(|(k, v)| {
                (
                    Spanned {
                        value: k.get_ref().to_string(),
                        span: self.span(k.span()),
                    },
                    v,
                )
            })
            .collect()
    }
}

/// A string read from a table, owned.
fn owned((value, span): (&str, Span)) -> Spanned<String> {
    Spanned {
        value: value.to_string(),
        span,
    }
}

/// The file offset of a string value's first content byte, when the bytes between the quotes
/// are exactly the string's content (so offsets inside the string map one to one).
pub fn string_content_start(
    text: &str,
    span: std::ops::Range<usize>,
    content: &str,
) -> Option<usize> {
    let inner = quoted_content(text, span)?;
    (text.get(inner.clone())? == content).then_some(inner.start)
}

/// The range between a string value's quotes (one or three of them).
fn quoted_content(text: &str, span: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let raw = text.get(span.clone())?;
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else if raw.starts_with('"') || raw.starts_with('\'') {
        1
    } else {
        return None;
    };
    let end = span.end.checked_sub(quote)?;
    let start = span.start + quote;
    (start <= end && text.is_char_boundary(start) && text.is_char_boundary(end))
        .then_some(start..end)
}

/// A TOML local date (no time, no offset) as a day.
pub fn toml_date(dt: &toml::value::Datetime) -> Result<Day, String> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => Day::from_ymd(d.year.into(), d.month.into(), d.day.into())
            .ok_or_else(|| format!("{dt} is not a day of the calendar")),
        (Some(_), _, _) => Err("a date without a time is expected, such as 2022-07-31".into()),
        (None, _, _) => Err("a date is expected, not a time of day".into()),
    }
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn is_id_char(c: char, extra: &str) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c) || extra.contains(c)
}

/// The first character that makes `id` invalid, with its byte offset.
pub fn first_bad_id_char(id: &str, extra: &str) -> Option<(usize, char)> {
    let mut chars = id.char_indices();
    match chars.next() {
        None => return Some((0, ' ')),
        Some((i, c)) if !(c.is_ascii_lowercase() || c.is_ascii_digit()) => return Some((i, c)),
        _ => {}
    }
    chars.find(|&(_, c)| !is_id_char(c, extra))
}

/// The id a person most likely meant: lower case, spaces as hyphens, other characters dropped.
fn suggest_id(id: &str, extra: &str) -> String {
    let mapped: String = id
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .filter(|&c| is_id_char(c, extra))
        .collect();
    mapped
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_characters() {
        assert_eq!(first_bad_id_char("un-27th", ""), None);
        assert_eq!(first_bad_id_char("UN", ""), Some((0, 'U')));
        assert_eq!(first_bad_id_char("un 27", ""), Some((2, ' ')));
        assert_eq!(first_bad_id_char("a/b", ""), Some((1, '/')));
        assert_eq!(first_bad_id_char("a/b", "/"), None);
        assert_eq!(first_bad_id_char("-a", ""), Some((0, '-')));
        assert_eq!(suggest_id("UN 27th Report", ""), "un-27th-report");
    }

    #[test]
    fn string_content_maps_only_without_escapes() {
        let text = r#"a = "x y" b = "x\ty""#;
        assert_eq!(string_content_start(text, 4..9, "x y"), Some(5));
        assert_eq!(string_content_start(text, 14..20, "x\ty"), None);
    }

    /// Every string form TOML has, read as a [`RawStr`]: each gives back its string, and only
    /// those whose file text is the string point into the file.
    #[test]
    fn raw_strings_point_into_the_file_only_when_verbatim() {
        let text = "a = \"x y\"\nb = \"x\\ty\"\nc = 'lit\\n'\nd = \"\"\"\nmulti\"\"\"\ne = '''raw'''\nf = \"\"\n";
        let (doc, errors) = DeTable::parse_recoverable(text);
        assert!(errors.is_empty(), "{errors:?}");
        let header = Span::new(FileId(0), 0..0);
        let mut fields = Fields::new(FileId(0), text, doc.get_ref(), header, "test");
        let expected = [
            ("a", "x y", true),
            ("b", "x\ty", false),
            ("c", "lit\\n", true),
            // The newline after the opening quotes is not part of the string.
            ("d", "multi", false),
            ("e", "raw", true),
            ("f", "", true),
        ];
        for (key, value, verbatim) in expected {
            let raw = fields.raw_str(key).expect(key);
            assert_eq!(raw.get(text), value, "{key}");
            assert_eq!(raw.verbatim_start().is_some(), verbatim, "{key}");
            if let Some(start) = raw.verbatim_start() {
                assert_eq!(&text[start as usize..][..value.len()], value, "{key}");
            }
            let json = serde_json::to_string(&raw).unwrap();
            let read_back: RawStr =
                crate::source_map::with_file(FileId(0), || serde_json::from_str(&json)).unwrap();
            assert_eq!(read_back.get(text), value, "{key} read back");
        }
        assert!(fields.errors.is_empty());
    }
}
