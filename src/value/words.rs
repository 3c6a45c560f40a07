//! Small pieces shared by the value language's parsers: the error type threaded through nom,
//! whitespace, case-insensitive keywords, dashes, number words and month names.
//!
//! Every parser here works on `&str` and reports failures as a [`PErr`] that remembers the rest
//! of the input where it stopped; [`to_value_error`] turns that into a byte offset.

use std::borrow::Cow;
use std::cmp::Ordering;

use nom::error::{ErrorKind, ParseError};
use nom::{Err, IResult, Parser};

use super::ValueError;

/// A parse failure: the rest of the input where it happened, what was expected there, and
/// optionally a note and the length of the offending text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PErr<'a> {
    pub rest: &'a str,
    /// Empty when no parser has said yet what it wanted: a [`label`] above fills it in.
    pub expected: Cow<'static, str>,
    pub note: Option<String>,
    pub len: Option<usize>,
}

pub(crate) type PResult<'a, T> = IResult<&'a str, T, PErr<'a>>;

impl<'a> PErr<'a> {
    pub fn at(rest: &'a str, expected: impl Into<Cow<'static, str>>) -> PErr<'a> {
        PErr {
            rest,
            expected: expected.into(),
            note: None,
            len: None,
        }
    }

    pub fn with_note(self, note: impl Into<String>) -> PErr<'a> {
        PErr {
            note: Some(note.into()),
            ..self
        }
    }

    pub fn with_len(self, len: usize) -> PErr<'a> {
        PErr {
            len: Some(len),
            ..self
        }
    }
}

impl<'a> ParseError<&'a str> for PErr<'a> {
    fn from_error_kind(rest: &'a str, _: ErrorKind) -> Self {
        PErr::at(rest, "")
    }

    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }

    /// Among the branches of an `alt`, the one that got furthest knows best what went wrong;
    /// on a tie the earlier branch wins unless it has nothing to say.
    fn or(self, other: Self) -> Self {
        match self.rest.len().cmp(&other.rest.len()) {
            Ordering::Less => self,
            Ordering::Greater => other,
            Ordering::Equal if self.expected.is_empty() => other,
            Ordering::Equal => self,
        }
    }
}

/// A recoverable failure: `alt` may try another branch.
pub(crate) fn error<'a, T>(
    rest: &'a str,
    expected: impl Into<Cow<'static, str>>,
) -> PResult<'a, T> {
    Err(Err::Error(PErr::at(rest, expected)))
}

/// A committed failure: the input is wrong here, whatever else might have parsed.
pub(crate) fn failure<'a, T>(err: PErr<'a>) -> PResult<'a, T> {
    Err(Err::Failure(err))
}

/// Turns a recoverable error into a committed one when parsing strictly (a whole value);
/// when scanning prose the caller wants to fall back to a shorter match instead.
pub(crate) fn commit<'a, O>(strict: bool, result: PResult<'a, O>) -> PResult<'a, O> {
    match result {
        Err(Err::Error(e)) if strict => Err(Err::Failure(e)),
        other => other,
    }
}

/// Says what `parser` stands for when it fails without a more specific message of its own, or
/// fails right where it started (then the caller's words are the better description).
pub(crate) fn label<'a, O>(
    expected: impl Into<Cow<'static, str>>,
    parser: impl Parser<&'a str, Output = O, Error = PErr<'a>>,
) -> impl Parser<&'a str, Output = O, Error = PErr<'a>> {
    let expected = expected.into();
    label_with(move || expected.clone(), parser)
}

/// [`label`] with a description that is only built when it is used: prose is scanned by
/// trying the grammar at every word, and formatting a message for each failed attempt would
/// cost more than the attempt.
pub(crate) fn label_with<'a, O, D: Into<Cow<'static, str>>>(
    expected: impl Fn() -> D,
    mut parser: impl Parser<&'a str, Output = O, Error = PErr<'a>>,
) -> impl Parser<&'a str, Output = O, Error = PErr<'a>> {
    move |input: &'a str| match parser.parse(input) {
        Err(Err::Error(e)) if e.expected.is_empty() || e.rest.len() == input.len() => {
            Err(Err::Error(PErr {
                expected: expected().into(),
                ..e
            }))
        }
        Err(Err::Failure(e)) if e.expected.is_empty() => Err(Err::Failure(PErr {
            expected: expected().into(),
            ..e
        })),
        other => other,
    }
}

/// Runs `parser` and also returns where it started and how many bytes it took, so that a later
/// check (a backwards range, an impossible day) can point at exactly that text.
pub(crate) fn spanned<'a, O>(
    mut parser: impl Parser<&'a str, Output = O, Error = PErr<'a>>,
) -> impl Parser<&'a str, Output = (O, &'a str, usize), Error = PErr<'a>> {
    move |input: &'a str| {
        let (rest, out) = parser.parse(input)?;
        Ok((rest, (out, input, input.len() - rest.len())))
    }
}

/// Converts a parse failure into the public error, with its byte offset into `original`.
pub(crate) fn to_value_error(original: &str, err: PErr<'_>) -> ValueError {
    let offset = original.len().saturating_sub(err.rest.len());
    let len = err.len.unwrap_or_else(|| token_len(err.rest));
    let expected = if err.expected.is_empty() {
        Cow::Borrowed("a value")
    } else {
        err.expected
    };
    ValueError {
        offset,
        len,
        expected: expected.into_owned(),
        note: err.note,
    }
}

/// Finishes a whole-string parse: the result, or the error located in `original`.
pub(crate) fn finish<T>(original: &str, result: PResult<'_, T>) -> Result<T, ValueError> {
    match result {
        Ok((_, value)) => Ok(value),
        Err(Err::Error(e) | Err::Failure(e)) => Err(to_value_error(original, e)),
        Err(Err::Incomplete(_)) => Err(ValueError {
            offset: original.len(),
            len: 0,
            expected: "more input".into(),
            note: None,
        }),
    }
}

/// The length of the word or symbol at the start of `rest`, for underlining it: a run of
/// letters and digits, else one character, else 0 at the end of the string.
pub(crate) fn token_len(rest: &str) -> usize {
    let word: usize = rest
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .map(char::len_utf8)
        .sum();
    if word > 0 {
        word
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    }
}

/// Whitespace, including the no-break and thin spaces that typeset reports use.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Optional whitespace.
pub(crate) fn ws0(input: &str) -> PResult<'_, &str> {
    let n = input.len() - input.trim_start_matches(is_space).len();
    Ok((&input[n..], &input[..n]))
}

/// Required whitespace.
pub(crate) fn ws1(input: &str) -> PResult<'_, &str> {
    match ws0(input)? {
        (_, "") => error(input, ""),
        ok => Ok(ok),
    }
}

/// Whether the next character continues a word, so that a keyword or number ends too early.
pub(crate) fn continues_word(rest: &str) -> bool {
    rest.chars().next().is_some_and(char::is_alphanumeric)
}

/// The length of the text at the start of `input` that spells `phrase`: case-insensitive,
/// any run of whitespace between its words, ending at a word boundary when the phrase ends in
/// a letter or digit (so `over` does not match `overall`, but `c.` matches `c.400`).
pub(crate) fn match_phrase(input: &str, phrase: &str) -> Option<usize> {
    // Most attempts fail on the first letter: settle those without Unicode case tables.
    let firsts = input.bytes().next().zip(phrase.bytes().next());
    if firsts.is_some_and(|(a, b)| a.is_ascii() && b.is_ascii() && !a.eq_ignore_ascii_case(&b)) {
        return None;
    }
    let mut pos = 0;
    for (k, word) in phrase.split_whitespace().enumerate() {
        if k > 0 {
            let (rest, space) = ws0(&input[pos..]).ok()?;
            if space.is_empty() {
                return None;
            }
            pos = input.len() - rest.len();
        }
        pos += match_word(&input[pos..], word)?;
    }
    let needs_boundary = phrase.chars().last().is_some_and(char::is_alphanumeric);
    if pos == 0 || (needs_boundary && continues_word(&input[pos..])) {
        return None;
    }
    Some(pos)
}

/// The length of `word` at the start of `input`, compared case-insensitively character by
/// character (so the length is that of the input's own spelling).
fn match_word(input: &str, word: &str) -> Option<usize> {
    let mut chars = input.char_indices();
    let mut end = 0;
    for expected in word.chars() {
        let (at, c) = chars.next()?;
        let same = if c.is_ascii() && expected.is_ascii() {
            c.eq_ignore_ascii_case(&expected)
        } else {
            c == expected || c.to_lowercase().eq(expected.to_lowercase())
        };
        if !same {
            return None;
        }
        end = at + c.len_utf8();
    }
    Some(end)
}

/// A case-insensitive keyword or phrase (see [`match_phrase`]); returns the text matched.
pub(crate) fn keyword<'a>(phrase: &'static str) -> impl Fn(&'a str) -> PResult<'a, &'a str> {
    move |input: &'a str| match match_phrase(input, phrase) {
        Some(n) => Ok((&input[n..], &input[..n])),
        None => error(input, ""),
    }
}

/// The first of `phrases` that matches, returning its index; list longer phrases before their
/// prefixes (`<=` before `<`).
pub(crate) fn one_of<'a>(input: &'a str, phrases: &[&str]) -> PResult<'a, usize> {
    let first = input.as_bytes().first().copied();
    for (k, phrase) in phrases.iter().enumerate() {
        if first_letter_differs(first, phrase) {
            continue;
        }
        if let Some(n) = match_phrase(input, phrase) {
            return Ok((&input[n..], k));
        }
    }
    error(input, "")
}

/// The first entry of `table` whose phrase matches, with that phrase and its meaning.
pub(crate) fn lookup<'a, T: Copy>(
    input: &'a str,
    table: &[(&'static str, T)],
) -> PResult<'a, (&'static str, T)> {
    let first = input.as_bytes().first().copied();
    for &(phrase, meaning) in table {
        if first_letter_differs(first, phrase) {
            continue;
        }
        if let Some(n) = match_phrase(input, phrase) {
            return Ok((&input[n..], (phrase, meaning)));
        }
    }
    error(input, "")
}

/// Whether `phrase` surely cannot match input starting with the byte `first`: both are ASCII
/// and differ in more than case. Tables are walked at every word of a quote, and nearly every
/// entry fails on its first letter, so this is checked inline before [`match_phrase`].
#[inline(always)]
pub(crate) fn first_letter_differs(first: Option<u8>, phrase: &str) -> bool {
    match (first, phrase.as_bytes().first()) {
        (Some(a), Some(&b)) => a.is_ascii() && b.is_ascii() && !a.eq_ignore_ascii_case(&b),
        _ => false,
    }
}

/// A dash between the ends of a range: hyphen, en dash, em dash, figure dash or minus sign.
pub(crate) fn dash(input: &str) -> PResult<'_, char> {
    match input.chars().next() {
        Some(c @ ('-' | '–' | '—' | '‒' | '−')) => Ok((&input[c.len_utf8()..], c)),
        _ => error(input, ""),
    }
}

/// A single character.
pub(crate) fn symbol(c: char) -> impl Fn(&str) -> PResult<'_, char> {
    move |input: &str| match input.strip_prefix(c) {
        Some(rest) => Ok((rest, c)),
        None => error(input, ""),
    }
}

/// ASCII digits at the start of `input` (possibly none).
pub(crate) fn ascii_digits(input: &str) -> &str {
    let n = input.bytes().take_while(u8::is_ascii_digit).count();
    &input[..n]
}

/// Number words, so that a value can be written as an analyst would read it aloud.
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];

/// Tens, which may be followed by a unit: `twenty`, `twenty-five`, `forty two`.
const TENS_WORDS: &[(&str, u32)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// Words that multiply what comes before them: `two hundred`, `a dozen`, `1.5 million`.
pub(crate) const MAGNITUDE_WORDS: &[(&str, f64)] = &[
    ("dozen", 12.0),
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
];

fn word_table<'a>(input: &'a str, table: &[(&'static str, u32)]) -> PResult<'a, u32> {
    let (rest, (_, n)) = lookup(input, table)?;
    Ok((rest, n))
}

/// A number word from `zero` to `ninety-nine`.
pub(crate) fn number_word(input: &str) -> PResult<'_, u32> {
    if let Ok((rest, tens)) = word_table(input, TENS_WORDS) {
        let unit = |i| {
            let (i, _) =
                nom::branch::alt((symbol('-'), |i| ws1(i).map(|(r, _)| (r, ' ')))).parse(i)?;
            word_table(i, &NUMBER_WORDS[1..10])
        };
        return Ok(match unit(rest) {
            Ok((rest, u)) => (rest, tens + u),
            Err(_) => (rest, tens),
        });
    }
    word_table(input, NUMBER_WORDS)
}

/// A magnitude word such as `thousand`.
pub(crate) fn magnitude_word(input: &str) -> PResult<'_, f64> {
    let (rest, (_, m)) = lookup(input, MAGNITUDE_WORDS)?;
    Ok((rest, m))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The English name of a month (1–12), for notes such as `February 2021 has 28 days`.
pub fn english_month(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

/// A month name, full (`July`), abbreviated (`Jul`, `Jul.`) or `Sept`; returns 1–12.
pub(crate) fn month_name(input: &str) -> PResult<'_, u32> {
    if let Ok((rest, k)) = one_of(input, &MONTHS) {
        return Ok((rest, k as u32 + 1));
    }
    const SHORT: [&str; 13] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "sept",
    ];
    let (rest, k) = one_of(input, &SHORT)?;
    let month = if k == 12 { 9 } else { k as u32 + 1 };
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    Ok((rest, month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_case_insensitively_at_word_boundaries() {
        assert_eq!(match_phrase("Up  To 2,000", "up to"), Some(6));
        assert_eq!(match_phrase("over", "over"), Some(4));
        assert_eq!(match_phrase("overall", "over"), None);
        assert_eq!(match_phrase("c.400", "c."), Some(2));
        assert_eq!(match_phrase("upto", "up to"), None);
        assert_eq!(match_phrase("", "up"), None);
        assert_eq!(match_phrase("ÉTÉ", "été"), Some("ÉTÉ".len()));
    }

    #[test]
    fn number_words_read_tens_and_units() {
        assert_eq!(number_word("twenty-five x").map(|r| r.1), Ok(25));
        assert_eq!(number_word("forty two").map(|r| r.1), Ok(42));
        assert_eq!(number_word("Twelve").map(|r| r.1), Ok(12));
        assert_eq!(number_word("twenty fighters"), Ok((" fighters", 20)));
        assert!(number_word("tense").is_err());
    }

    #[test]
    fn month_names_full_and_short() {
        assert_eq!(month_name("July 2020").map(|r| r.1), Ok(7));
        assert_eq!(month_name("sept. 2020"), Ok((" 2020", 9)));
        assert_eq!(month_name("Sep 2020").map(|r| r.1), Ok(9));
        assert_eq!(month_name("Mayday").ok(), None);
    }

    #[test]
    fn labels_replace_silent_errors_only() {
        let mut labelled = label("a number", keyword("x"));
        let Err(Err::Error(e)) = labelled.parse("y") else {
            panic!("expected an error")
        };
        assert_eq!(e.expected, "a number");
    }

    #[test]
    fn errors_know_their_offset_and_token() {
        let input = "12 abc";
        let err = to_value_error(input, PErr::at(&input[3..], "x"));
        assert_eq!((err.offset, err.len), (3, 3));
        assert_eq!(token_len(""), 0);
        assert_eq!(token_len("–x"), '–'.len_utf8());
    }
}
