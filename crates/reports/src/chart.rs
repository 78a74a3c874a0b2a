//! What every chart function returns: the SVG drawn twice (wide and narrow), the one-line
//! reading, and the table alternative as plain data.

/// A chart ready for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The drawing for tablets and desktops (class `chart-wide`): a complete `<svg>` element.
    pub wide: String,
    /// The drawing for phones (class `chart-narrow`).
    pub narrow: String,
    /// One line in plain words; also each drawing's `<desc>`.
    pub reading: String,
    pub table: Table,
}

impl Chart {
    /// Both drawings, for a template to insert unescaped (`{{ chart.markup()|safe }}`);
    /// app.css shows one of them at a time. Every text inside was escaped when drawn.
    pub fn markup(&self) -> String {
        let mut out = String::with_capacity(self.wide.len() + self.narrow.len());
        out.push_str(&self.wide);
        out.push_str(&self.narrow);
        out
    }
}

/// The table alternative, as plain text cells: the page renders it as an HTML table
/// (escaping each cell, as askama does by default). The first column names the row
/// (`<th scope="row">`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// A short caption in words.
    pub caption: String,
    pub columns: Vec<String>,
    /// Each row has one cell per column.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(caption: impl Into<String>, columns: &[&str]) -> Self {
        Self {
            caption: caption.into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }
}
