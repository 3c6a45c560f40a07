//! Intervals of numbers with open, closed or unbounded ends: what a quantity string means.

use std::fmt;

/// One end of an [`Interval`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Bound {
    /// No limit on this side (`more than 100` has no upper bound).
    Unbounded,
    /// The end value belongs to the interval (`at least 100`).
    Closed(f64),
    /// The end value does not belong to the interval (`more than 100`).
    Open(f64),
}

impl Bound {
    pub fn value(self) -> Option<f64> {
        match self {
            Bound::Unbounded => None,
            Bound::Closed(v) | Bound::Open(v) => Some(v),
        }
    }

    fn map(self, f: impl FnOnce(f64) -> f64) -> Bound {
        match self {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Closed(v) => Bound::Closed(f(v)),
            Bound::Open(v) => Bound::Open(f(v)),
        }
    }
}

/// A set of numbers `low..high`; `400` is the degenerate interval `[400, 400]`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    pub low: Bound,
    pub high: Bound,
}

impl Interval {
    pub fn exact(v: f64) -> Interval {
        Interval::closed(v, v)
    }

    pub fn closed(low: f64, high: f64) -> Interval {
        Interval {
            low: Bound::Closed(low),
            high: Bound::Closed(high),
        }
    }

    /// Widens each finite end by `fraction` of its own magnitude, away from the middle:
    /// `[low×(1−t), high×(1+t)]` for positive values (SPEC section 4).
    pub fn widened(self, fraction: f64) -> Interval {
        if fraction == 0.0 {
            return self;
        }
        Interval {
            low: self.low.map(|v| v - v.abs() * fraction),
            high: self.high.map(|v| v + v.abs() * fraction),
        }
    }

    /// Whether the two intervals share at least one number.
    pub fn overlaps(&self, other: &Interval) -> bool {
        !below(self.high, other.low) && !below(other.high, self.low)
    }

    /// Compatible under tolerance `t`: overlapping after each is widened by `t` (SPEC section 4).
    pub fn compatible(&self, other: &Interval, tolerance: f64) -> bool {
        self.widened(tolerance).overlaps(&other.widened(tolerance))
    }

    /// Whether every number of `other` lies in this interval.
    pub fn contains(&self, other: &Interval) -> bool {
        !low_before(other.low, self.low) && !high_after(other.high, self.high)
    }

    /// The middle of the interval, or the finite end when only one end is bounded.
    pub fn midpoint(&self) -> Option<f64> {
        match (self.low.value(), self.high.value()) {
            (Some(l), Some(h)) => Some((l + h) / 2.0),
            (Some(v), None) | (None, Some(v)) => Some(v),
            (None, None) => None,
        }
    }

    pub fn is_exact(&self) -> bool {
        matches!((self.low, self.high), (Bound::Closed(l), Bound::Closed(h)) if l == h)
    }
}

/// Whether an upper end `high` lies strictly below a lower end `low`, leaving no number between.
fn below(high: Bound, low: Bound) -> bool {
    match (high, low) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
        (Bound::Closed(h), Bound::Closed(l)) => h < l,
        (h, l) => h.value() <= l.value(),
    }
}

/// Whether lower end `a` admits numbers below lower end `b`.
fn low_before(a: Bound, b: Bound) -> bool {
    match (a, b) {
        (_, Bound::Unbounded) => false,
        (Bound::Unbounded, _) => true,
        (Bound::Closed(x), Bound::Open(y)) => x <= y,
        (x, y) => x.value() < y.value(),
    }
}

/// Whether upper end `a` admits numbers above upper end `b`.
fn high_after(a: Bound, b: Bound) -> bool {
    match (a, b) {
        (_, Bound::Unbounded) => false,
        (Bound::Unbounded, _) => true,
        (Bound::Closed(x), Bound::Open(y)) => x >= y,
        (x, y) => x.value() > y.value(),
    }
}

/// Formats a number with thousands separators and at most three decimals: `6,500`, `1.5`.
pub fn format_number(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞" } else { "-∞" }.into();
    }
    let rounded = (v * 1000.0).round() / 1000.0;
    let text = format!("{rounded}");
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.len() > 15 || int.contains('e') {
        return text;
    }
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

impl fmt::Display for Interval {
    /// Prints a form the value language reads back: `400`, `2,500–6,000`, `up to 2,000`,
    /// `more than 100`, `between 1 and 2` for mixed ends is written with brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Bound::*;
        let n = format_number;
        match (self.low, self.high) {
            (Closed(l), Closed(h)) if l == h => write!(f, "{}", n(l)),
            (Closed(l), Closed(h)) => write!(f, "{}–{}", n(l), n(h)),
            (Unbounded, Closed(h)) => write!(f, "at most {}", n(h)),
            (Unbounded, Open(h)) => write!(f, "less than {}", n(h)),
            (Closed(l), Unbounded) => write!(f, "at least {}", n(l)),
            (Open(l), Unbounded) => write!(f, "more than {}", n(l)),
            (Unbounded, Unbounded) => write!(f, "any number"),
            (low, high) => {
                let open = if matches!(low, Open(_)) { '(' } else { '[' };
                let close = if matches!(high, Open(_)) { ')' } else { ']' };
                let side = |b: Bound| b.value().map_or("∞".to_string(), n);
                write!(f, "{open}{}, {}{close}", side(low), side(high))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_widens_each_end_by_its_own_magnitude() {
        let a = Interval::exact(652_230.0);
        let b = Interval::exact(647_500.0);
        assert!(!a.compatible(&b, 0.0));
        assert!(a.compatible(&b, 0.005));
    }

    #[test]
    fn open_ends_touching_do_not_overlap() {
        let more_than_100 = Interval {
            low: Bound::Open(100.0),
            high: Bound::Unbounded,
        };
        assert!(!more_than_100.overlaps(&Interval::exact(100.0)));
        assert!(more_than_100.overlaps(&Interval::exact(100.5)));
        let at_least_100 = Interval {
            low: Bound::Closed(100.0),
            high: Bound::Unbounded,
        };
        assert!(at_least_100.overlaps(&Interval::exact(100.0)));
    }

    #[test]
    fn containment() {
        let whole = Interval::closed(2_000.0, 6_000.0);
        assert!(whole.contains(&Interval::closed(4_000.0, 6_000.0)));
        assert!(!Interval::closed(4_000.0, 6_000.0).contains(&whole));
    }

    #[test]
    fn numbers_print_with_separators() {
        assert_eq!(format_number(6500.0), "6,500");
        assert_eq!(format_number(1_000_000.0), "1,000,000");
        assert_eq!(format_number(1.5), "1.5");
        assert_eq!(format_number(-2500.0), "-2,500");
        assert_eq!(format_number(400.0), "400");
        assert_eq!(Interval::closed(2500.0, 6000.0).to_string(), "2,500–6,000");
    }
}
