//! Sizes and scales shared by the charts: the two layouts (a wide one for tablets and
//! desktops, a narrow one for phones), the type size, text-width estimates, the session axis
//! and value axes with round ticks.
//!
//! Why two layouts: an SVG scales with its viewBox, so its text shrinks with the screen. One
//! viewBox cannot keep 17-unit text at 16 px or more both at 390 px (about 308 px of chart in
//! a card) and on a tablet without the tablet chart being a few words wide. Each chart is
//! therefore drawn twice; app.css shows the narrow one below 48rem and caps the wide one
//! at 56rem, so text renders at 16–21 px at 390, 820 and 1440 px (see the crate docs).

/// Font size in viewBox units: at least 16 px at every width app.css shows a layout.
pub(crate) const FONT_SIZE: f64 = 17.0;
/// Baseline-to-baseline distance of stacked lines of text.
pub(crate) const LINE: f64 = 24.0;
/// Estimated advance of one character (system-ui is about 0.55 em on average; digits and
/// capitals run wider, so estimates err on the wide side).
pub(crate) const CHAR_WIDTH: f64 = FONT_SIZE * 0.6;
/// Lifts text so it sits visually centred on a y coordinate (about 0.35 em).
pub(crate) const CENTRE_TEXT: f64 = FONT_SIZE * 0.35;
/// Space around the plot.
pub(crate) const PAD: f64 = 8.0;

/// Which of the two drawings of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 720 units wide: tablets and desktops (shown from 48rem up).
    Wide,
    /// 320 units wide: phones.
    Narrow,
}

impl Layout {
    pub const BOTH: [Layout; 2] = [Layout::Wide, Layout::Narrow];

    /// Width of the viewBox.
    pub const fn width(self) -> f64 {
        match self {
            Self::Wide => 720.0,
            Self::Narrow => 320.0,
        }
    }

    /// The CSS class app.css uses to show one layout at a time.
    pub const fn class(self) -> &'static str {
        match self {
            Self::Wide => "chart-wide",
            Self::Narrow => "chart-narrow",
        }
    }

    pub(crate) const fn suffix(self) -> &'static str {
        match self {
            Self::Wide => "w",
            Self::Narrow => "n",
        }
    }
}

/// Estimated width of `text` in viewBox units, from rough advances of a system sans-serif
/// (erring wide, so labels never run into their neighbours).
pub(crate) fn text_width(text: &str) -> f64 {
    text.chars().map(advance).sum::<f64>() * FONT_SIZE
}

/// Advance of one character in em.
fn advance(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.28,
        ' ' | 'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | '-' => 0.36,
        'm' | 'w' | '…' | '—' => 0.85,
        'M' | 'W' | '%' | '@' => 0.9,
        c if c.is_ascii_uppercase() => 0.7,
        c if c.is_ascii_digit() => 0.6,
        c if c.is_ascii_lowercase() => 0.6,
        _ => 0.7,
    }
}

/// `text` cut with an ellipsis to fit `width` units (the table keeps the whole text).
pub(crate) fn fit(text: &str, width: f64) -> String {
    if text_width(text) <= width + 1e-6 {
        return text.to_owned();
    }
    let room = width - advance('…') * FONT_SIZE;
    let mut used = 0.0;
    let mut cut: String = text
        .chars()
        .take_while(|c| {
            used += advance(*c) * FONT_SIZE;
            used <= room
        })
        .collect();
    cut.push('…');
    cut
}

/// Sessions along the x axis: one equal slot per session number from `first` to `last`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SessionAxis {
    pub first: u32,
    pub last: u32,
    pub x0: f64,
    pub x1: f64,
}

impl SessionAxis {
    /// The axis over the given session numbers (1 when there are none).
    pub(crate) fn over(sessions: impl IntoIterator<Item = u32>, x0: f64, x1: f64) -> Self {
        let mut first = u32::MAX;
        let mut last = 0;
        for s in sessions {
            first = first.min(s);
            last = last.max(s);
        }
        if first > last {
            first = 1;
            last = 1;
        }
        Self {
            first,
            last,
            x0,
            x1,
        }
    }

    pub(crate) fn count(&self) -> u32 {
        self.last.saturating_sub(self.first).saturating_add(1)
    }

    /// Width of one session's slot.
    pub(crate) fn slot(&self) -> f64 {
        (self.x1 - self.x0) / f64::from(self.count())
    }

    /// Left edge of a session's slot.
    pub(crate) fn left(&self, session: u32) -> f64 {
        self.x0 + f64::from(session.saturating_sub(self.first)) * self.slot()
    }

    /// Centre of a session's slot.
    pub(crate) fn centre(&self, session: u32) -> f64 {
        self.left(session) + self.slot() / 2.0
    }

    /// Session numbers to label: the first and every `step`-th, spaced so labels never touch.
    pub(crate) fn ticks(&self) -> Vec<u32> {
        let widest = text_width(&self.last.to_string()) + CHAR_WIDTH * 1.5;
        let per_label = (widest / self.slot()).ceil().max(1.0) as u32;
        let step = [
            1u32, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 10_000, 100_000,
        ]
        .into_iter()
        .find(|s| *s >= per_label)
        .unwrap_or(per_label);
        // Label multiples of the step, and the first session when there is room for it.
        let mut ticks = Vec::new();
        let mut next = self.first.div_ceil(step).saturating_mul(step);
        while next <= self.last && next >= self.first {
            ticks.push(next);
            match next.checked_add(step) {
                Some(n) => next = n,
                None => break,
            }
        }
        let first_gap = ticks.first().map(|t| t - self.first);
        if first_gap.is_none_or(|gap| gap > 0 && f64::from(gap) * self.slot() >= widest) {
            ticks.insert(0, self.first);
        }
        ticks
    }
}

/// A linear value axis from `lo` (at `y0`, the bottom) to `hi` (at `y1`, the top).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValueAxis {
    pub lo: f64,
    pub hi: f64,
    pub y0: f64,
    pub y1: f64,
}

impl ValueAxis {
    /// A well-formed axis: not-finite or empty ranges become 0–1.
    pub(crate) fn new(lo: f64, hi: f64, y0: f64, y1: f64) -> Self {
        let (lo, hi) = if lo.is_finite() && hi.is_finite() && hi > lo {
            (lo, hi)
        } else if lo.is_finite() && hi.is_finite() && hi == lo {
            (lo, lo + 1.0)
        } else {
            (0.0, 1.0)
        };
        Self { lo, hi, y0, y1 }
    }

    /// The y of a value, clamped onto the axis.
    pub(crate) fn y(&self, value: f64) -> f64 {
        let t = ((value - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        self.y0 + (self.y1 - self.y0) * t
    }

    /// Round values to label, at least `min_gap` units apart.
    pub(crate) fn ticks(&self, min_gap: f64) -> Vec<f64> {
        let span = self.hi - self.lo;
        let height = (self.y0 - self.y1).abs().max(1.0);
        let max_ticks = (height / min_gap).floor().max(1.0);
        let raw = span / max_ticks;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        if !(step.is_finite() && step > 0.0) {
            return vec![self.lo, self.hi];
        }
        let mut ticks = Vec::new();
        let mut value = (self.lo / step).ceil() * step;
        while value <= self.hi + step * 1e-9 && ticks.len() < 50 {
            ticks.push(value);
            value += step;
        }
        ticks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ticks_thin_out_as_sessions_grow() {
        let few = SessionAxis::over([1, 2, 3, 4, 5, 6], 40.0, 700.0);
        assert_eq!(few.ticks(), vec![1, 2, 3, 4, 5, 6]);
        let many = SessionAxis::over(1..=52, 40.0, 300.0);
        let ticks = many.ticks();
        assert_eq!(ticks.first(), Some(&1));
        assert!(ticks.len() <= 8, "{ticks:?}");
        for pair in ticks.windows(2) {
            let gap = many.centre(pair[1]) - many.centre(pair[0]);
            assert!(gap >= text_width("52"), "{ticks:?}");
        }
        let empty = SessionAxis::over([], 0.0, 100.0);
        assert_eq!((empty.first, empty.last, empty.count()), (1, 1, 1));
    }

    #[test]
    fn value_ticks_are_round() {
        let axis = ValueAxis::new(0.0, 27.0, 200.0, 0.0);
        assert_eq!(axis.ticks(30.0), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        let climate = ValueAxis::new(0.0, 6.0, 200.0, 0.0);
        assert_eq!(climate.ticks(30.0), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let broken = ValueAxis::new(f64::NAN, 3.0, 100.0, 0.0);
        assert_eq!((broken.lo, broken.hi), (0.0, 1.0));
        assert_eq!(broken.y(f64::INFINITY), 0.0);
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(fit("M-7K2Q", 100.0), "M-7K2Q");
        let cut = fit("A very long alias of forty characters!!", 60.0);
        assert!(cut.ends_with('…'));
        assert!(text_width(&cut) <= 60.0);
        assert_eq!(fit("M-7K2Q", text_width("M-7K2Q")), "M-7K2Q");
    }
}
