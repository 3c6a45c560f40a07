//! Numbers as analysts write them: `5,500`, `5 500`, `1.5k`, `2 million`, `85%`, `-5`, and
//! number words such as `twelve`, `a dozen`, `two hundred`.

use nom::Parser;
use nom::branch::alt;

use super::words::{
    PErr, PResult, ascii_digits, error, failure, keyword, lookup, magnitude_word, number_word, ws0,
    ws1,
};

/// A number as written. Ranges need more than its value: in `2-3 million` the magnitude of the
/// second end also applies to the first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num {
    /// The value, magnitude applied.
    pub value: f64,
    /// The value before any magnitude (`3` in `3 million`).
    pub mantissa: f64,
    /// The magnitude written after the number (`k`, `million`, `dozen`), if any.
    pub magnitude: Option<f64>,
    /// Whether it was written as a percentage (`85%`). The value stays 85: a percentage is just
    /// a unit, as for any other quantity.
    pub percent: bool,
}

impl Num {
    fn plain(mantissa: f64, magnitude: Option<f64>) -> Num {
        Num {
            value: mantissa * magnitude.unwrap_or(1.0),
            mantissa,
            magnitude,
            percent: false,
        }
    }
}

const REASONABLE: &str = "a number of reasonable size";

/// An amount: a numeral or number words.
pub(crate) fn point(input: &str) -> PResult<'_, Num> {
    alt((numeral, word_amount)).parse(input)
}

/// A numeral with optional sign, thousands separators, decimals, magnitude and percent sign.
pub(crate) fn numeral(input: &str) -> PResult<'_, Num> {
    let (i, negative) = sign(input)?;
    let (i, digits) = integer_part(i)?;
    let (i, fraction) = fraction(i)?;
    let text = format!("{}{digits}.{}0", if negative { "-" } else { "" }, fraction);
    let mantissa = match text.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => return too_large(input, i),
    };
    let (i, magnitude) = magnitude_suffix(i)?;
    let (i, percent) = percent_suffix(i)?;
    let num = Num {
        percent,
        ..Num::plain(mantissa, magnitude)
    };
    if !num.value.is_finite() {
        return too_large(input, i);
    }
    Ok((i, num))
}

fn too_large<'a, T>(start: &'a str, rest: &'a str) -> PResult<'a, T> {
    failure(PErr::at(start, REASONABLE).with_len(start.len() - rest.len()))
}

/// `-` (or the typographic minus, or an explicit `+`) directly before a digit.
fn sign(input: &str) -> PResult<'_, bool> {
    let mut chars = input.chars();
    let negative = match chars.next() {
        Some('-' | '−') => true,
        Some('+') => false,
        _ => return Ok((input, false)),
    };
    if chars.as_str().starts_with(|c: char| c.is_ascii_digit()) {
        Ok((chars.as_str(), negative))
    } else {
        error(input, "")
    }
}

/// Digits, optionally in groups of three after a first group of one to three digits, separated
/// by commas or by spaces (`5,500`, `5 500`, `1 000 000`), never mixing the two. A separator
/// not followed by exactly three digits ends the number, so `2, 3` is two numbers.
fn integer_part(input: &str) -> PResult<'_, String> {
    let first = ascii_digits(input);
    if first.is_empty() {
        return error(input, "");
    }
    let mut digits = String::from(first);
    let mut rest = &input[first.len()..];
    if first.len() > 3 {
        return Ok((rest, digits));
    }
    let Some(comma) = rest
        .chars()
        .next()
        .filter(|&c| c == ',' || is_group_space(c))
    else {
        return Ok((rest, digits));
    };
    while let Some((group, after)) = group(rest, comma) {
        digits.push_str(group);
        rest = after;
    }
    Ok((rest, digits))
}

/// Spaces used between thousands: normal, no-break, thin and narrow no-break.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}')
}

/// One thousands group: the separator `sep` then exactly three digits.
fn group(input: &str, sep: char) -> Option<(&str, &str)> {
    let after = input.strip_prefix(sep)?;
    let digits = ascii_digits(after);
    (digits.len() == 3).then(|| (digits, &after[3..]))
}

/// `.5` in `1.5`: a point followed by at least one digit (a point alone ends a sentence).
fn fraction(input: &str) -> PResult<'_, &str> {
    match input.strip_prefix('.') {
        Some(after) if !ascii_digits(after).is_empty() => {
            let digits = ascii_digits(after);
            Ok((&after[digits.len()..], digits))
        }
        _ => Ok((input, "")),
    }
}

/// `k`, `m`, `mn`, `bn` written against the number (`1.5k`), or a magnitude word after a space
/// (`2 million`, `1.5 hundred thousand`). `2km` has no magnitude: the letters belong to another word.
fn magnitude_suffix(input: &str) -> PResult<'_, Option<f64>> {
    const ATTACHED: &[(&str, f64)] = &[("bn", 1e9), ("mn", 1e6), ("k", 1e3), ("m", 1e6)];
    if let Ok((rest, (_, m))) = lookup(input, ATTACHED) {
        return Ok((rest, Some(m)));
    }
    magnitudes(input)
}

/// A magnitude word after a space: ` million`.
fn spaced_magnitude(input: &str) -> PResult<'_, f64> {
    let (i, _) = ws1(input)?;
    magnitude_word(i)
}

/// `%` (optionally after a space) or the word `percent` / `per cent`.
fn percent_suffix(input: &str) -> PResult<'_, bool> {
    let (after_space, _) = ws0(input)?;
    if let Some(rest) = after_space.strip_prefix('%') {
        return Ok((rest, true));
    }
    let word = |i| {
        let (i, _) = ws1(i)?;
        alt((keyword("percent"), keyword("per cent"))).parse(i)
    };
    match word(input) {
        Ok((rest, _)) => Ok((rest, true)),
        Err(_) => Ok((input, false)),
    }
}

/// Number words and magnitudes: `twelve`, `a dozen`, `a hundred`, `two thousand`,
/// `a hundred thousand`. `a` alone is not a number: it needs a magnitude after it.
pub(crate) fn word_amount(input: &str) -> PResult<'_, Num> {
    let (i, base) = match number_word(input) {
        Ok((i, n)) => (i, Some(f64::from(n))),
        Err(_) => {
            let (i, _) = alt((keyword("a"), keyword("an"))).parse(input)?;
            (i, None)
        }
    };
    let (i, magnitude) = magnitudes(i)?;
    match (base, magnitude) {
        (Some(b), m) => Ok((i, Num::plain(b, m))),
        (None, Some(m)) => Ok((i, Num::plain(1.0, Some(m)))),
        (None, None) => error(input, ""),
    }
}

/// Magnitude words after a number word, multiplied: `hundred thousand` is 100,000.
pub(crate) fn magnitudes(input: &str) -> PResult<'_, Option<f64>> {
    let mut product: Option<f64> = None;
    let mut rest = input;
    while let Ok((after, m)) = spaced_magnitude(rest) {
        product = Some(product.unwrap_or(1.0) * m);
        rest = after;
    }
    match product {
        Some(p) if !p.is_finite() => too_large(input, rest),
        _ => Ok((rest, product)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(input: &str) -> Option<(f64, &str)> {
        point(input).ok().map(|(rest, n)| (n.value, rest))
    }

    #[test]
    fn plain_and_grouped_numerals() {
        assert_eq!(value("400"), Some((400.0, "")));
        assert_eq!(value("5,500 fighters"), Some((5500.0, " fighters")));
        assert_eq!(value("5500"), Some((5500.0, "")));
        assert_eq!(value("5 500"), Some((5500.0, "")));
        assert_eq!(value("5\u{2009}500"), Some((5500.0, "")));
        assert_eq!(value("1,000,000"), Some((1e6, "")));
        assert_eq!(value("-5"), Some((-5.0, "")));
        assert_eq!(value("+5"), Some((5.0, "")));
    }

    #[test]
    fn separators_need_groups_of_three() {
        assert_eq!(value("55,00"), Some((55.0, ",00")));
        assert_eq!(value("5500,000"), Some((5500.0, ",000")));
        assert_eq!(value("2, 3"), Some((2.0, ", 3")));
        assert_eq!(value("1,000 000"), Some((1000.0, " 000")));
        assert_eq!(value("5 5000"), Some((5.0, " 5000")));
    }

    #[test]
    fn decimals_and_magnitudes() {
        assert_eq!(value("1.5k"), Some((1500.0, "")));
        assert_eq!(value("2 million people"), Some((2e6, " people")));
        assert_eq!(value("2.5bn"), Some((2.5e9, "")));
        assert_eq!(value("3m"), Some((3e6, "")));
        assert_eq!(value("2km"), Some((2.0, "km")));
        assert_eq!(value("400."), Some((400.0, ".")));
        assert_eq!(value("2 dozen"), Some((24.0, "")));
    }

    #[test]
    fn percentages_keep_their_number() {
        let (_, n) = point("85%").unwrap();
        assert!(n.percent);
        assert_eq!(n.value, 85.0);
        assert_eq!(value("85 percent"), Some((85.0, "")));
        assert_eq!(value("85 per cent of"), Some((85.0, " of")));
        assert_eq!(value("85 %"), Some((85.0, "")));
    }

    #[test]
    fn number_words() {
        assert_eq!(value("twelve"), Some((12.0, "")));
        assert_eq!(value("a dozen"), Some((12.0, "")));
        assert_eq!(value("A hundred fighters"), Some((100.0, " fighters")));
        assert_eq!(value("two thousand"), Some((2000.0, "")));
        assert_eq!(value("a hundred thousand"), Some((1e5, "")));
        assert_eq!(value("one million"), Some((1e6, "")));
        assert_eq!(value("a few"), None);
        assert_eq!(value("an"), None);
    }

    #[test]
    fn huge_numbers_are_errors_not_infinities() {
        let long = "9".repeat(400);
        assert!(matches!(point(&long), Err(nom::Err::Failure(_))));
        let long = "1".repeat(10_000);
        assert!(point(&long).is_err());
        assert!(point("999999999 trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion trillion").is_err());
        let tiny = format!("0.{}1", "0".repeat(10_000));
        assert_eq!(value(&tiny).map(|v| v.0), Some(0.0));
    }
}
