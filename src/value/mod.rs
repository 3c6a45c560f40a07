//! The value language (SPEC section 3): strings a person writes while reading a report, parsed
//! into exact meanings. Quantities become [`Interval`]s of numbers, dates and periods become
//! [`DayRange`]s of calendar days.
//!
//! This layer knows nothing about files or records: errors carry byte offsets into the value
//! string, and the loader maps them to file, line and column.

mod date;
mod day;
mod interval;
mod lexicon;
mod number;
mod quantity;
mod scan;
mod words;

pub use date::{parse_percentage, parse_period, parse_window};
pub use day::{Day, DayRange};
pub use interval::{Bound, Interval, format_number};
pub use lexicon::{Lexicon, ValueSettings};
pub use quantity::parse_quantity;
pub use scan::{find_periods, find_quantities};
pub use words::english_month;

use std::fmt;

/// Why a value string did not parse, and where inside it parsing stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    /// Byte offset into the value string where parsing stopped.
    pub offset: usize,
    /// Length in bytes of the offending text (at least 1 when the string is non-empty there,
    /// 0 at the end of the string).
    pub len: usize,
    /// What was expected at `offset`, for example `a number after "between"`.
    pub expected: String,
    /// Optional extra explanation, for example `February 2021 has 28 days`.
    pub note: Option<String>,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", self.expected)?;
        if let Some(note) = &self.note {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValueError {}
