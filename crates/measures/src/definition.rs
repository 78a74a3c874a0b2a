//! A validated instrument definition: items, scales, missing-data rule, bands, cut-offs and
//! reliable-change values, each value with its source. Built only by `load` (from TOML), so
//! every `InstrumentDef` in the program has passed validation.

use serde::Serialize;

/// The scale id that names an instrument's total (subscales may not use it).
pub const TOTAL: &str = "total";

/// May the item wording be shown, and where does it come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    /// Free to reproduce (PHQ-9, GAD-7).
    Free,
    /// Free with the authors' permission.
    Permission,
    /// Sold under licence; wording only from the organisation's licensed copy.
    Proprietary,
    /// No licence found: treat the wording as copyrighted.
    Unclear,
}

impl LicenceStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Permission => "permission",
            Self::Proprietary => "proprietary",
            Self::Unclear => "unclear",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Licence {
    pub status: LicenceStatus,
    /// Whether the definition file itself carries the item wording.
    pub embed_text: bool,
    /// Attribution or terms to show beside the instrument.
    pub note: Option<String>,
}

/// Where an item's wording came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextOrigin {
    /// In the definition file (free instruments).
    Definition,
    /// From a text pack the organisation loaded under its own licence.
    OrganisationPack,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ItemText {
    pub text: String,
    pub origin: TextOrigin,
}

/// One item: its number (1..=N, in order), key, our short label and its answer range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ItemDef {
    pub n: u8,
    pub key: String,
    /// Our own short label, for staff screens; never the licensed wording.
    pub label: String,
    pub min: u8,
    pub max: u8,
    /// Scored as `min + max − answer`.
    pub reverse: bool,
    /// An answer above `min` needs a person now (the SAFETY alert).
    pub risk: bool,
    pub text: Option<ItemText>,
}

impl ItemDef {
    /// The value that counts towards scales: the answer, reversed for reverse-keyed items.
    pub const fn keyed(&self, answer: u8) -> u8 {
        if self.reverse {
            // Validation guarantees min <= answer <= max, so this stays in min..=max.
            self.min.saturating_add(self.max).saturating_sub(answer)
        } else {
            answer
        }
    }

    pub const fn accepts(&self, answer: u8) -> bool {
        self.min <= answer && answer <= self.max
    }
}

/// How a scale combines its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Sum, prorated for missing items (an integer).
    Sum,
    /// Mean of the answered items.
    Mean,
}

/// Which way is better, for reading change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherBetter,
    LowerBetter,
}

/// The total or a subscale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Scale {
    /// `total`, or the subscale's id (`engaged`).
    pub id: String,
    pub label: String,
    /// Item numbers, ascending.
    pub items: Vec<u8>,
    pub method: Method,
    pub direction: Direction,
}

/// Missing answers: more than `max_missing` makes a response invalid; otherwise sums are
/// prorated (sum × items / answered, rounded half up) and means use the answered items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MissingRule {
    pub max_missing: usize,
    pub source: String,
}

/// A severity band on a sum scale: `min..=max` reads as `label`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Band {
    pub scale: String,
    pub min: u32,
    pub max: u32,
    pub label: String,
    pub source: String,
}

/// How a cut-off compares: a score `op value` meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CutoffOp {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = "<")]
    Below,
}

impl CutoffOp {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AtLeast => ">=",
            Self::Above => ">",
            Self::AtMost => "<=",
            Self::Below => "<",
        }
    }

    pub fn holds(self, score: f64, value: f64) -> bool {
        match self {
            Self::AtLeast => score >= value,
            Self::Above => score > value,
            Self::AtMost => score <= value,
            Self::Below => score < value,
        }
    }
}

/// Means and SDs of a functional and a clinical sample, for Jacobson–Truax's cut-off c.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Norms {
    pub functional_mean: f64,
    pub functional_sd: f64,
    pub clinical_mean: f64,
    pub clinical_sd: f64,
}

/// A line on the chart: scores meeting `op value` read as `label`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Cutoff {
    pub scale: String,
    pub op: CutoffOp,
    /// Published, or computed as c from `norms`.
    pub value: f64,
    pub label: String,
    pub source: String,
    /// Meeting it means the clinical range (used for clinically significant change).
    pub clinical: bool,
    /// The samples `value` was computed from, when it was.
    pub norms: Option<Norms>,
}

impl Cutoff {
    pub fn met_by(&self, score: f64) -> bool {
        self.op.holds(score, self.value)
    }
}

/// The smallest change on a scale that counts as reliable, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Rci {
    pub scale: String,
    /// A change of at least this much is reliable.
    pub delta: f64,
    pub source: String,
    /// Baseline SD and reliability, when known (gives the index RC itself).
    pub sd: Option<f64>,
    pub reliability: Option<f64>,
}

/// One labelled answer option (`0` = "Not at all").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ResponseOption {
    pub value: u8,
    pub label: String,
}

/// A validated instrument definition (see the crate docs for the file format).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstrumentDef {
    pub(crate) id: String,
    pub(crate) version: u32,
    pub(crate) title: String,
    pub(crate) citation: Option<String>,
    pub(crate) instructions: Option<String>,
    pub(crate) licence: Licence,
    pub(crate) response_min: u8,
    pub(crate) response_max: u8,
    pub(crate) response_options: Vec<ResponseOption>,
    pub(crate) items: Vec<ItemDef>,
    /// Where an organisation's loaded wording comes from (a text pack's `source`).
    pub(crate) text_source: Option<String>,
    pub(crate) total: Option<Scale>,
    pub(crate) subscales: Vec<Scale>,
    pub(crate) missing: MissingRule,
    pub(crate) bands: Vec<Band>,
    pub(crate) cutoffs: Vec<Cutoff>,
    pub(crate) reliable_change: Vec<Rci>,
}

impl InstrumentDef {
    /// `phq9`, `gad7`, `gcqs`, or an organisation's id.
    pub fn id(&self) -> &str {
        &self.id
    }
    pub const fn version(&self) -> u32 {
        self.version
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn citation(&self) -> Option<&str> {
        self.citation.as_deref()
    }
    /// The stem shown above the items ("Over the last 2 weeks ...").
    pub fn instructions(&self) -> Option<&str> {
        self.instructions.as_deref()
    }
    pub const fn licence(&self) -> &Licence {
        &self.licence
    }
    /// The usual answer range (items may narrow or widen their own).
    pub const fn response_range(&self) -> (u8, u8) {
        (self.response_min, self.response_max)
    }
    /// Labels of the answer options, when known (empty: show the numbers).
    pub fn response_options(&self) -> &[ResponseOption] {
        &self.response_options
    }
    /// Items in order, numbered 1..=N.
    pub fn items(&self) -> &[ItemDef] {
        &self.items
    }
    /// The `source` of the text pack that supplied the wording, if one did.
    pub fn text_source(&self) -> Option<&str> {
        self.text_source.as_deref()
    }
    pub fn item(&self, n: u8) -> Option<&ItemDef> {
        self.items.get(usize::from(n).checked_sub(1)?)
    }
    pub const fn total(&self) -> Option<&Scale> {
        self.total.as_ref()
    }
    pub fn subscales(&self) -> &[Scale] {
        &self.subscales
    }
    /// The total (if any), then the subscales in file order.
    pub fn scales(&self) -> impl Iterator<Item = &Scale> {
        self.total.iter().chain(&self.subscales)
    }
    pub fn scale(&self, id: &str) -> Option<&Scale> {
        self.scales().find(|scale| scale.id == id)
    }
    pub const fn missing(&self) -> &MissingRule {
        &self.missing
    }
    /// Severity bands of a scale, lowest first.
    pub fn bands(&self, scale: &str) -> impl Iterator<Item = &Band> {
        self.bands.iter().filter(move |band| band.scale == scale)
    }
    pub fn cutoffs(&self, scale: &str) -> impl Iterator<Item = &Cutoff> {
        self.cutoffs
            .iter()
            .filter(move |cutoff| cutoff.scale == scale)
    }
    /// The cut-off that marks a scale's clinical range, if it has one.
    pub fn clinical_cutoff(&self, scale: &str) -> Option<&Cutoff> {
        self.cutoffs(scale).find(|cutoff| cutoff.clinical)
    }
    pub fn reliable_change(&self, scale: &str) -> Option<&Rci> {
        self.reliable_change.iter().find(|rci| rci.scale == scale)
    }
    /// Whether every item has wording to show a member.
    pub fn has_text(&self) -> bool {
        !self.items.is_empty() && self.items.iter().all(|item| item.text.is_some())
    }
    /// The lowest and highest value a scale can take.
    pub fn scale_range(&self, scale: &Scale) -> (f64, f64) {
        let items = scale.items.iter().filter_map(|&n| self.item(n));
        match scale.method {
            Method::Sum => {
                let (lo, hi) = items.fold((0u32, 0u32), |(lo, hi), item| {
                    (lo + u32::from(item.min), hi + u32::from(item.max))
                });
                (f64::from(lo), f64::from(hi))
            }
            Method::Mean => items.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), item| {
                (lo.min(f64::from(item.min)), hi.max(f64::from(item.max)))
            }),
        }
    }
}
