//! Finding quantities and dates in free text, such as a claim's `quote`, for the
//! `quote-mismatch` rule: "other numbers in a quote (years, names) are not an error", so the
//! scanner must tell a count from a year and from the digits of a name.
//!
//! It walks the text once. At each word start it reads the longest quantity and the longest
//! date found there, each limited to [`LOOKAHEAD`] bytes so that the work per start is bounded
//! and the whole scan stays linear in the text's length. A date wins over a quantity of no
//! greater length (`31 July 2022` is a date, not 31), so dates are never reported as
//! quantities, and the scan resumes after whatever was found.

use std::ops::Range;

use super::date::{day_without_year, period};
use super::number::point;
use super::quantity::{Ctx, quantity};
use super::{Bound, DayRange, Interval, ValueSettings};

/// The most bytes read from one start. An expression must end at least [`MARGIN`] bytes before
/// the lookahead stops (unless the text ends first), so that what follows it was seen: a match
/// cut short by the lookahead (`111 111 111 …`) is no match.
const LOOKAHEAD: usize = 128;
const MARGIN: usize = 32;

/// Bare years count as dates in prose only within these years; `1500 fighters` is a count.
const PROSE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// What was found at one place in the text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Found {
    Quantity(Interval),
    Period(DayRange),
    /// A day without its year (`on 5 May`): not a quantity, and no period either.
    PartialDate,
}

/// Every quantity stated in `text`, with its byte range, left to right. Years and dates,
/// digits inside words (`A1`, `COVID-19`), ordinals (`27th`) and the pronoun `one` are left
/// out.
pub fn find_quantities(text: &str, settings: &ValueSettings) -> Vec<(Range<usize>, Interval)> {
    scan(text, settings)
        .into_iter()
        .filter_map(|(range, found)| match found {
            Found::Quantity(value) => Some((range, value)),
            Found::Period(_) | Found::PartialDate => None,
        })
        .collect()
}

/// Every date or period stated in `text`, with its byte range, left to right. A bare
/// four-digit number counts as a year only from 1900 to 2100.
pub fn find_periods(text: &str) -> Vec<(Range<usize>, DayRange)> {
    scan(text, &ValueSettings::default())
        .into_iter()
        .filter_map(|(range, found)| match found {
            Found::Period(value) => Some((range, value)),
            Found::Quantity(_) | Found::PartialDate => None,
        })
        .collect()
}

/// Everything found in `text`, left to right, without overlaps.
fn scan(text: &str, settings: &ValueSettings) -> Vec<(Range<usize>, Found)> {
    scan_with(text, settings, true)
}

/// [`scan`], with or without skipping the words that cannot begin an expression (the result is
/// the same: the tests compare both).
fn scan_with(text: &str, settings: &ValueSettings, skip: bool) -> Vec<(Range<usize>, Found)> {
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(start) = next_start(text, pos) {
        if skip && !may_begin_here(&text[start..], settings) {
            pos = skip_token(text, start);
            continue;
        }
        match found_at(text, start, settings) {
            Some((len, item)) => {
                found.push((start..start + len, item));
                pos = start + len;
            }
            None => pos = skip_token(text, start),
        }
    }
    found
}

/// The next place at or after `pos` where a quantity or date could begin: a letter, digit,
/// `~`, `<`, `>` or a sign before a digit, not inside a word or a number (`A1`, `COVID-19`,
/// the `000` of `5,000`).
fn next_start(text: &str, pos: usize) -> Option<usize> {
    let mut prev = text[..pos].chars().next_back();
    for (k, c) in text[pos..].char_indices() {
        let at = pos + k;
        if starts_here(prev, c, &text[at + c.len_utf8()..]) && !inside_grouped_number(text, at) {
            return Some(at);
        }
        prev = Some(c);
    }
    None
}

fn starts_here(prev: Option<char>, c: char, after: &str) -> bool {
    let glued = |p: char| {
        p.is_alphanumeric()
            || matches!(
                p,
                '-' | '_' | '.' | ',' | ':' | '/' | '\'' | '’' | '+' | '@' | '#' | '&' | '%'
            )
    };
    if prev.is_some_and(glued) {
        return false;
    }
    let sign_before_digit =
        matches!(c, '-' | '−' | '+') && after.starts_with(|d: char| d.is_ascii_digit());
    c.is_alphanumeric() || matches!(c, '~' | '≈' | '<' | '>' | '≤' | '≥') || sign_before_digit
}

/// The first word of every phrase the grammar can read at the start of a quantity or a date
/// (number words, bound and approximation words, `between`, `from`, month names and their
/// abbreviations, `Q3`'s `q`…), lower case. Most words of a quote are none of these, and
/// trying the whole grammar at each of them is what scanning prose costs; the lexicon's
/// phrases, which a data set may extend, are checked besides. A test reads the grammar's
/// source for words missing here.
const STARTERS: &[&str] = &[
    "a",
    "about",
    "above",
    "almost",
    "an",
    "any",
    "approx",
    "approximately",
    "apr",
    "april",
    "around",
    "at",
    "aug",
    "august",
    "below",
    "between",
    "billion",
    "c",
    "ca",
    "circa",
    "close",
    "dec",
    "december",
    "dozen",
    "early",
    "eight",
    "eighteen",
    "eighty",
    "eleven",
    "est",
    "estimated",
    "feb",
    "february",
    "fewer",
    "fifteen",
    "fifty",
    "first",
    "five",
    "forty",
    "four",
    "fourteen",
    "fourth",
    "from",
    "h",
    "hundred",
    "in",
    "inf",
    "jan",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "just",
    "late",
    "less",
    "mar",
    "march",
    "may",
    "mid",
    "million",
    "more",
    "nearly",
    "nine",
    "nineteen",
    "ninety",
    "no",
    "not",
    "nov",
    "november",
    "oct",
    "october",
    "one",
    "over",
    "q",
    "roughly",
    "second",
    "sep",
    "sept",
    "september",
    "seven",
    "seventeen",
    "seventy",
    "six",
    "sixteen",
    "sixty",
    "some",
    "ten",
    "third",
    "thirteen",
    "thirty",
    "thousand",
    "three",
    "trillion",
    "twelve",
    "twenty",
    "two",
    "under",
    "up",
    "upwards",
    "zero",
];

/// Whether an expression could begin at the start of `rest`: anything that does not start
/// with an ASCII letter is tried; a word only when it is one of [`STARTERS`] or begins a
/// phrase of the lexicon.
fn may_begin_here(rest: &str, settings: &ValueSettings) -> bool {
    let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || rest[letters..].starts_with(|c: char| !c.is_ascii()) {
        return true;
    }
    // Compared without lower-casing into a new string: this runs at every word of every quote.
    let word = &rest[..letters];
    let lower = || word.bytes().map(|b| b.to_ascii_lowercase());
    STARTERS
        .binary_search_by(|s| s.bytes().cmp(lower()))
        .is_ok()
        || settings.lexicon.has_first_word(word)
}

/// Whether the digits at `at` are a thousands group of the number before them (`500` in
/// `5 500`): the number is read from its first group, never from the middle.
fn inside_grouped_number(text: &str, at: usize) -> bool {
    let group = text[at..].bytes().take_while(u8::is_ascii_digit).count();
    let mut before = text[..at].chars().rev();
    let spaced = before
        .next()
        .is_some_and(|c| matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}'));
    let lead = before.take_while(char::is_ascii_digit).count();
    group == 3 && spaced && (1..=3).contains(&lead)
}

/// Past the word at `start` (or its one symbol), where the next start may be looked for.
fn skip_token(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let word: usize = rest
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .map(char::len_utf8)
        .sum();
    start + word.max(rest.chars().next().map_or(1, char::len_utf8))
}

/// The text from `start` on, at most [`LOOKAHEAD`] bytes, cut at a character boundary.
fn window(text: &str, start: usize) -> &str {
    let mut end = (start + LOOKAHEAD).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[start..end]
}

/// The longer of the quantity and the date at `start`; the date on a tie.
fn found_at(text: &str, start: usize, settings: &ValueSettings) -> Option<(usize, Found)> {
    let quantity = quantity_at(text, start, settings);
    let date = period_at(text, start);
    match (quantity, date) {
        (q, Some((len, date))) if q.is_none_or(|(qlen, _)| len >= qlen) => Some((len, date)),
        (Some((len, value)), _) => Some((len, Found::Quantity(value))),
        _ => None,
    }
}

/// The quantity at `start` and its length, or, when the longest reading fails or runs into a
/// word, the plain number there. `any number` and the pronoun `one` are not quantities here.
fn quantity_at(text: &str, start: usize, settings: &ValueSettings) -> Option<(usize, Interval)> {
    let window = window(text, start);
    let ctx = Ctx {
        settings,
        strict: false,
    };
    let longest = quantity(ctx, window)
        .ok()
        .map(|(rest, value)| (window.len() - rest.len(), value))
        .filter(|&(len, _)| ends_cleanly(text, start, start + len));
    let (len, value) = longest.or_else(|| {
        let (rest, n) = point(window).ok()?;
        let len = window.len() - rest.len();
        ends_cleanly(text, start, start + len).then(|| (len, Interval::exact(n.value)))
    })?;
    let unbounded = value.low == Bound::Unbounded && value.high == Bound::Unbounded;
    let pronoun = window[..len].eq_ignore_ascii_case("one");
    (!unbounded && !pronoun).then_some((len, value))
}

/// The date or period at `start` and its length, or a day and month without a year. A bare
/// year outside [`PROSE_YEARS`] is not taken for a date.
fn period_at(text: &str, start: usize) -> Option<(usize, Found)> {
    let window = window(text, start);
    let Ok((rest, (range, bare))) = period(false, window) else {
        let len = day_without_year(window)?;
        return ends_cleanly(text, start, start + len).then_some((len, Found::PartialDate));
    };
    let len = window.len() - rest.len();
    let plausible =
        PROSE_YEARS.contains(&range.first.year()) && PROSE_YEARS.contains(&range.last.year());
    (ends_cleanly(text, start, start + len) && (!bare || plausible))
        .then_some((len, Found::Period(range)))
}

/// Whether an expression ending at `end` ends there in the text too (and not merely where
/// the lookahead stopped reading), rather than running into a word or another number
/// (`27th`, `2km`, `10:30`, `1.2.3`, `2020-07` read as 2020).
/// A hyphen before a letter is fine: `a 2,000-strong force`.
fn ends_cleanly(text: &str, start: usize, end: usize) -> bool {
    if end + MARGIN > start + LOOKAHEAD && start + LOOKAHEAD < text.len() {
        return false;
    }
    let mut chars = text[end..].chars();
    let next_is =
        |chars: &std::str::Chars<'_>, f: fn(char) -> bool| chars.clone().next().is_some_and(f);
    match chars.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some('-' | '–' | '—' | '−') => !next_is(&chars, |d| d.is_ascii_digit()),
        Some('.' | ',' | '/' | ':' | '_' | '+' | '\'' | '’' | '@') => {
            !next_is(&chars, char::is_alphanumeric)
        }
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quantities(text: &str) -> Vec<(&str, Interval)> {
        find_quantities(text, &ValueSettings::default())
            .into_iter()
            .map(|(r, v)| (&text[r], v))
            .collect()
    }

    fn periods(text: &str) -> Vec<&str> {
        find_periods(text)
            .into_iter()
            .map(|(r, _)| &text[r])
            .collect()
    }

    #[test]
    fn starts_only_at_word_starts() {
        assert!(starts_here(None, '4', ""));
        assert!(!starts_here(Some('A'), '1', ""));
        assert!(!starts_here(Some('-'), '1', ""));
        assert!(starts_here(Some(' '), '-', "5"));
        assert!(!starts_here(Some(' '), '-', " 5"));
        assert_eq!(next_start("ab 12", 0), Some(0));
        assert_eq!(next_start("ab 12", 1), Some(3));
    }

    #[test]
    fn groups_of_a_number_are_not_starts() {
        assert!(inside_grouped_number("5 500", 2));
        assert!(inside_grouped_number("111 111", 4));
        assert!(!inside_grouped_number("2019 500", 5));
        assert!(!inside_grouped_number("5 50", 2));
        assert_eq!(next_start("12 500 000", 1), None);
    }

    #[test]
    fn windows_cut_at_char_boundaries() {
        let text = "é".repeat(100);
        assert_eq!(window(&text, 0).len(), LOOKAHEAD);
        assert!(window(&text, 2).len() <= LOOKAHEAD);
    }

    #[test]
    fn clean_ends() {
        assert!(ends_cleanly("400 fighters", 0, 3));
        assert!(!ends_cleanly("27th", 0, 2));
        assert!(!ends_cleanly("10:30", 0, 2));
        assert!(ends_cleanly("2,000-strong", 0, 5));
        assert!(!ends_cleanly("2020-07", 0, 4));
        assert!(ends_cleanly("400.", 0, 3));
    }

    #[test]
    fn years_and_dates_are_not_quantities() {
        let text = "In 2020, around 400 fighters; by 31 July 2022 up to 2,000.";
        let found = quantities(text);
        assert_eq!(
            found.iter().map(|f| f.0).collect::<Vec<_>>(),
            ["around 400", "up to 2,000"]
        );
        assert_eq!(periods(text), ["2020", "31 July 2022"]);
    }

    #[test]
    fn names_ordinals_and_pronouns_are_skipped() {
        assert!(quantities("ISIL-K and A1 in the 27th report, one of them").is_empty());
        assert_eq!(quantities("one hundred")[0].1, Interval::exact(100.0));
    }

    #[test]
    fn starters_are_sorted_for_binary_search() {
        assert!(STARTERS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn skipping_words_never_changes_what_is_found() {
        let settings = ValueSettings::default();
        for text in [
            "In 2020, around 400 fighters; by 31 July 2022 up to 2,000.",
            "Q3 2020 and H1 2021, mid-2023, Sept. 5, an estimated 4,000 to 6,000",
            "twenty-five, a dozen, several hundred, tens of thousands, some 53 people",
            "the fighters numbered between 2,500 and 6,000 in late 2020",
        ] {
            assert_eq!(
                scan_with(text, &settings, true),
                scan_with(text, &settings, false)
            );
        }
    }

    /// Every word and phrase quoted in the grammar's source, so that a phrase added to any
    /// table is exercised here without this test being told about it.
    fn grammar_vocabulary() -> Vec<String> {
        let sources = [
            include_str!("quantity.rs"),
            include_str!("date.rs"),
            include_str!("number.rs"),
            include_str!("words.rs"),
            include_str!("lexicon.rs"),
        ];
        let mut words = std::collections::BTreeSet::new();
        for source in sources {
            for literal in source.split('"').skip(1).step_by(2) {
                if literal.is_empty() || literal.len() > 24 || literal.contains('\\') {
                    continue;
                }
                words.insert(literal.to_string());
                for word in literal.split(|c: char| !c.is_alphanumeric()) {
                    if !word.is_empty() {
                        words.insert(word.to_string());
                    }
                }
            }
        }
        words.into_iter().collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn skipping_agrees_with_trying_everywhere(
            picks in proptest::collection::vec((0usize..10_000, 0usize..8, proptest::bool::ANY), 1..10),
        ) {
            let vocabulary = grammar_vocabulary();
            let extra = ["2,500", "400", "2020", "31", "-", "–", "to", "fighters", "the", "of"];
            let separators = [" ", " ", " ", "-", ", ", ".", "\u{a0}", ""];
            let mut text = String::new();
            for (pick, sep, upper) in picks {
                let word = if pick % 5 == 0 {
                    extra[pick / 5 % extra.len()].to_string()
                } else {
                    vocabulary[pick % vocabulary.len()].clone()
                };
                text.push_str(&if upper { word.to_uppercase() } else { word });
                text.push_str(separators[sep]);
            }
            let settings = ValueSettings::default();
            proptest::prop_assert_eq!(
                scan_with(&text, &settings, true),
                scan_with(&text, &settings, false),
                "{:?}",
                text
            );
        }
    }

    #[test]
    fn bare_years_outside_modern_times_are_counts() {
        assert_eq!(quantities("1500 fighters")[0].1, Interval::exact(1500.0));
        assert!(periods("1500 fighters").is_empty());
    }
}
