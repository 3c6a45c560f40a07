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
    /// A string and the offset of its first content byte in the file, when the file's bytes
    /// between the quotes are exactly the string (no escapes), so errors inside it can point at
    /// the character.
    String(String, Option<usize>),
    Number(f64),
    Date(DayRange),
    Array(Vec<Spanned<RawValue>>),
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

    /// An optional string field.
    pub fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Spanned {
                value: s.to_string(),
                span: self.span(value.span()),
            }),
            _ => {
                self.type_error(key, value, "a string");
                None
            }
        }
    }

    /// A string field that must be present and not blank.
    pub fn required_string(&mut self, key: &str) -> Option<Spanned<String>> {
        if self.get(key).is_none() {
            self.missing(key);
            return None;
        }
        let value = self.string(key)?;
        if value.value.trim().is_empty() {
            self.errors.push(
                Diagnostic::error(format!("`{key}` must not be empty"))
                    .with_primary(value.span, "empty"),
            );
            return None;
        }
        Some(value)
    }

    /// An id field (`[a-z0-9][a-z0-9._-]*`, plus `/` and `~` where `extra` allows them). An
    /// invalid id is reported and still returned, so that references to it resolve.
    pub fn id(&mut self, key: &str, required: bool, extra: &str) -> Option<Spanned<String>> {
        let value = if required {
            self.required_string(key)?
        } else {
            self.string(key)?
        };
        match first_bad_id_char(&value.value, extra) {
            None => Some(value),
            Some((offset, c)) => {
                let suggestion = suggest_id(&value.value, extra);
                let mut diag = Diagnostic::error(format!("`{}` is not a valid id", value.value))
                    .with_primary(
                        self.inner_span(&value, offset, c.len_utf8()),
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
                Some(value)
            }
        }
    }

    /// The span of `len` bytes at `offset` inside a string value, or the whole value when the
    /// file's text between the quotes is not exactly the string (escapes).
    fn inner_span(&self, value: &Spanned<String>, offset: usize, len: usize) -> Span {
        match string_content_start(self.text, value.span.range(), &value.value) {
            Some(start) => self.span(start + offset..start + offset + len),
            None => value.span,
        }
    }

    /// Where a string value's text starts in the file, when the file holds it verbatim (no
    /// escapes): places inside the string can then be pointed at.
    pub fn verbatim_start(&self, value: &Spanned<String>) -> Option<u32> {
        string_content_start(self.text, value.span.range(), &value.value).map(|s| s as u32)
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
        let span = self.inner_span(value, err.offset, err.len);
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
            DeValue::String(s) => {
                let start = string_content_start(self.text, value.span(), s);
                RawValue::String(s.to_string(), start)
            }
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

/// The file offset of a string value's first content byte, when the bytes between the quotes
/// are exactly the string's content (so offsets inside the string map one to one).
pub fn string_content_start(
    text: &str,
    span: std::ops::Range<usize>,
    content: &str,
) -> Option<usize> {
    let raw = text.get(span.clone())?;
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else if raw.starts_with('"') || raw.starts_with('\'') {
        1
    } else {
        return None;
    };
    let inner = raw.get(quote..raw.len().checked_sub(quote)?)?;
    (inner == content).then_some(span.start + quote)
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
}
