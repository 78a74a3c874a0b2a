//! A small SVG writer: the accessible root element (role, title, desc, aria-labelledby, a
//! viewBox and no fixed size), escaped text and attributes, and the few shapes the charts use.
//! Everything is a presentation attribute: the server's Content-Security-Policy forbids
//! inline `style` attributes and `<style>` elements, and nothing here writes either.

use std::fmt::Write as _;

use crate::layout::{FONT_SIZE, Layout};
use crate::palette::INK;

/// The app's font stack (app.css), so a chart saved as a file looks as it does on the page.
const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// Prefix of every class on a mark (`cw-point`, `cw-bar`, …).
pub(crate) const CLASS_PREFIX: &str = "cw-";

/// An attribute value: a number (written with at most two decimals) or text (escaped).
#[derive(Debug, Clone, Copy)]
pub(crate) enum A<'a> {
    N(f64),
    S(&'a str),
}

/// One SVG document being written.
#[derive(Debug)]
pub(crate) struct Svg {
    out: String,
    /// The element id prefix: the caller's chart id plus the layout's suffix.
    prefix: String,
}

impl Svg {
    /// Opens the root element and writes its title and description.
    pub(crate) fn new(id: &str, layout: Layout, height: f64, title: &str, desc: &str) -> Self {
        let prefix = format!("{}-{}", clean_id(id), layout.suffix());
        let mut out = String::with_capacity(16 * 1024);
        out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
        push_num(&mut out, layout.width());
        out.push(' ');
        push_num(&mut out, height.max(1.0));
        let _ = write!(
            out,
            "\" role=\"img\" aria-labelledby=\"{prefix}-title {prefix}-desc\" class=\"{}\" \
             font-family=\"{FONT_FAMILY}\" font-size=\"",
            layout.class()
        );
        push_num(&mut out, FONT_SIZE);
        let _ = write!(out, "\" fill=\"{INK}\"><title id=\"{prefix}-title\">");
        push_text(&mut out, title);
        let _ = write!(out, "</title><desc id=\"{prefix}-desc\">");
        push_text(&mut out, desc);
        out.push_str("</desc>");
        Self { out, prefix }
    }

    /// A document-unique id for a definition (pattern, symbol) of this chart.
    pub(crate) fn id(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }

    /// `url(#…)` for a definition made with [`Svg::id`].
    pub(crate) fn url(&self, name: &str) -> String {
        format!("url(#{}-{name})", self.prefix)
    }

    /// `<name attrs>`; close it with [`Svg::close`].
    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, A<'_>)]) {
        self.out.push('<');
        self.out.push_str(name);
        self.attrs(attrs);
        self.out.push('>');
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name attrs/>`.
    pub(crate) fn leaf(&mut self, name: &str, attrs: &[(&str, A<'_>)]) {
        self.out.push('<');
        self.out.push_str(name);
        self.attrs(attrs);
        self.out.push_str("/>");
    }

    /// `<text attrs>content</text>`, the content escaped.
    pub(crate) fn text(&mut self, x: f64, y: f64, content: &str, attrs: &[(&str, A<'_>)]) {
        self.out.push_str("<text");
        self.attrs(&[("x", A::N(x)), ("y", A::N(y))]);
        self.attrs(attrs);
        self.out.push('>');
        push_text(&mut self.out, content);
        self.out.push_str("</text>");
    }

    pub(crate) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: &[(&str, A<'_>)]) {
        self.out.push_str("<rect");
        self.attrs(&[
            ("x", A::N(x)),
            ("y", A::N(y)),
            ("width", A::N(w.max(0.0))),
            ("height", A::N(h.max(0.0))),
        ]);
        self.attrs(attrs);
        self.out.push_str("/>");
    }

    pub(crate) fn line(
        &mut self,
        (x1, y1): (f64, f64),
        (x2, y2): (f64, f64),
        attrs: &[(&str, A<'_>)],
    ) {
        self.out.push_str("<line");
        self.attrs(&[
            ("x1", A::N(x1)),
            ("y1", A::N(y1)),
            ("x2", A::N(x2)),
            ("y2", A::N(y2)),
        ]);
        self.attrs(attrs);
        self.out.push_str("/>");
    }

    /// A path through `points`, as `M x y L x y …`.
    pub(crate) fn polyline(&mut self, points: &[(f64, f64)], attrs: &[(&str, A<'_>)]) {
        if points.is_empty() {
            return;
        }
        self.out.push_str("<path d=\"");
        for (i, (x, y)) in points.iter().enumerate() {
            self.out.push_str(if i == 0 { "M" } else { " L" });
            push_num(&mut self.out, *x);
            self.out.push(' ');
            push_num(&mut self.out, *y);
        }
        self.out.push('"');
        self.attrs(attrs);
        self.out.push_str("/>");
    }

    /// `<use href="#…" x y class/>` of a definition made with [`Svg::id`].
    pub(crate) fn use_def(&mut self, name: &str, x: f64, y: f64, class: &str) {
        self.out.push_str("<use href=\"#");
        self.out.push_str(&self.prefix);
        self.out.push('-');
        self.out.push_str(name);
        self.out.push('"');
        self.attrs(&[("x", A::N(x)), ("y", A::N(y)), ("class", A::S(class))]);
        self.out.push_str("/>");
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }

    fn attrs(&mut self, attrs: &[(&str, A<'_>)]) {
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            match value {
                A::N(n) => push_num(&mut self.out, *n),
                // Marks carry classes as hooks for tests and readers of the markup; the
                // prefix keeps them clear of the app stylesheet's own class names.
                A::S(s) if *name == "class" => {
                    for (i, class) in s.split(' ').filter(|c| !c.is_empty()).enumerate() {
                        if i > 0 {
                            self.out.push(' ');
                        }
                        self.out.push_str(CLASS_PREFIX);
                        push_text(&mut self.out, class);
                    }
                }
                A::S(s) => push_text(&mut self.out, s),
            }
            self.out.push('"');
        }
    }
}

/// Path data from (command or separator, number) pairs: `[("M", 1.0), (" ", 2.0)]` → `M1 2`.
pub(crate) fn path_data(parts: &[(&str, f64)]) -> String {
    let mut d = String::with_capacity(parts.len() * 8);
    for (command, value) in parts {
        d.push_str(command);
        push_num(&mut d, *value);
    }
    d
}

/// An id safe in XML and CSS: letters, digits, `-` and `_`, starting with a letter.
pub(crate) fn clean_id(id: &str) -> String {
    let body: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect();
    if body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        body
    } else {
        format!("chart{body}")
    }
}

/// Writes a number with at most two decimals and no trailing zeros; not-finite as 0.
/// By hand rather than with `{:.2}`: a dashboard writes tens of thousands of numbers, and
/// float formatting was most of its cost.
pub(crate) fn push_num(out: &mut String, value: f64) {
    let value = if value.is_finite() { value } else { 0.0 };
    if value.abs() >= 1e15 {
        // Too large for hundredths in an i64: no decimals to show anyway.
        let _ = write!(out, "{value:.0}");
        return;
    }
    let hundredths = (value * 100.0).round();
    let h = hundredths as i64;
    if h < 0 {
        out.push('-');
    }
    let h = h.unsigned_abs();
    push_digits(out, h / 100);
    let fraction = h % 100;
    if fraction != 0 {
        out.push('.');
        out.push(digit(fraction / 10));
        if !fraction.is_multiple_of(10) {
            out.push(digit(fraction % 10));
        }
    }
}

fn push_digits(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for b in buf.iter().skip(i) {
        out.push(char::from(*b));
    }
}

fn digit(d: u64) -> char {
    char::from(b'0' + (d % 10) as u8)
}

/// Writes text escaped for XML content and attribute values. Characters XML 1.0 cannot hold
/// (most control characters, lone surrogates cannot occur in a `str`) become U+FFFD.
pub(crate) fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_two_decimals() {
        let cases = [
            (1.0, "1"),
            (1.5, "1.5"),
            (1.234, "1.23"),
            (-0.004, "0"),
            (f64::NAN, "0"),
            (f64::INFINITY, "0"),
            (120.10, "120.1"),
            (-0.5, "-0.5"),
            (-12.345, "-12.35"),
            (0.07, "0.07"),
            (1e20, "100000000000000000000"),
            (
                f64::MAX,
                "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368",
            ),
            (123_456_789.0, "123456789"),
        ];
        for (value, text) in cases {
            let mut out = String::new();
            push_num(&mut out, value);
            assert_eq!(out, text, "{value}");
        }
    }

    #[test]
    fn text_is_escaped_and_control_characters_replaced() {
        let mut out = String::new();
        push_text(&mut out, "<script>\"a\" & 'b'\u{0}\u{8}\n");
        assert_eq!(
            out,
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;\u{FFFD}\u{FFFD} "
        );
    }

    #[test]
    fn ids_are_safe() {
        assert_eq!(clean_id("climate"), "climate");
        assert_eq!(clean_id("9 \"x\"<y>"), "chart9xy");
        assert_eq!(clean_id(""), "chart");
    }
}
