//! `crosscheck.toml`: the data set's settings (SPEC section 8).

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::fields::Fields;
use crate::diag::Diagnostic;
use crate::model::{Dataset, Severity};
use crate::source_map::{SourceFile, Span};
use crate::value::{ValueSettings, parse_percentage, parse_quantity};

const TOP_KEYS: &[&str] = &["check", "lexicon"];
const CHECK_KEYS: &[&str] = &["fail_on", "approximation", "default_rules"];

/// Reads the settings file into `data.settings`, reporting every problem.
pub fn load_settings(data: &mut Dataset, path: &Path, errors: &mut Vec<Diagnostic>) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            errors.push(Diagnostic::error(format!(
                "cannot read {}: {}",
                path.display(),
                super::text::io_reason(&e)
            )));
            return;
        }
    };
    let file = data.files.add(SourceFile::new(
        path.to_path_buf(),
        super::text::display_path(path),
        text,
    ));
    let text = data.files.file(file).text.clone();
    let (doc, syntax) = DeTable::parse_recoverable(&text);
    if !syntax.is_empty() {
        for err in syntax {
            let span = err.span().unwrap_or(0..0);
            let message = err
                .message()
                .lines()
                .next()
                .unwrap_or("invalid TOML")
                .to_string();
            errors.push(
                Diagnostic::error(format!("invalid TOML: {message}"))
                    .with_primary(Span::new(file, span), message),
            );
        }
        return;
    }
    let whole = Span::new(file, 0..0);
    let mut top = Fields::new(file, &text, doc.get_ref(), whole, "crosscheck.toml");
    top.check_keys(TOP_KEYS);
    if let Some((check, span)) = top.table("check") {
        let mut f = Fields::new(file, &text, check, span, "[check]");
        f.check_keys(CHECK_KEYS);
        let fail_on = f.choice(
            "fail_on",
            &[
                ("error", Severity::Error),
                ("warning", Severity::Warning),
                ("info", Severity::Info),
                ("never", Severity::Off),
            ],
        );
        data.settings.fail_on = fail_on.map(|s| s.value);
        if let Some(b) = f.bool("default_rules") {
            data.settings.default_rules = b.value;
        }
        if let Some(text) = f.string("approximation") {
            match parse_percentage(&text.value) {
                Ok(fraction) => data.settings.values.approximation = fraction,
                Err(err) => {
                    let diag = f.value_error("approximation", &text, &err);
                    f.errors.push(diag);
                }
            }
        }
        errors.append(&mut f.errors);
    }
    if let Some((lexicon, _)) = top.table("lexicon") {
        read_lexicon(data, file, lexicon, errors);
    }
    errors.append(&mut top.errors);
}

/// `[lexicon]`: vague words and the ranges they stand for, such as `"scores" = "40-99"`.
fn read_lexicon(
    data: &mut Dataset,
    file: crate::source_map::FileId,
    lexicon: &DeTable<'_>,
    errors: &mut Vec<Diagnostic>,
) {
    // Ranges in the lexicon are read with the built-in words only, so entries cannot refer to
    // each other.
    let plain = ValueSettings::default();
    for (word, value) in lexicon.iter() {
        let span = Span::new(file, value.span());
        let DeValue::String(range) = value.get_ref() else {
            errors.push(
                Diagnostic::error(format!(
                    "lexicon entry `{}` must be a string such as \"40-99\"",
                    word.get_ref()
                ))
                .with_primary(span, "not a string"),
            );
            continue;
        };
        match parse_quantity(range, &plain) {
            Ok(interval) => data
                .settings
                .values
                .lexicon
                .insert(word.get_ref(), interval),
            Err(err) => errors.push(
                Diagnostic::error(format!(
                    "lexicon entry `{}` = {range:?} is not a quantity: expected {}",
                    word.get_ref(),
                    err.expected
                ))
                .with_primary(span, format!("expected {}", err.expected)),
            ),
        }
    }
}
