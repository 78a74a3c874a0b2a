//! The definition file as written (TOML), before validation. Unknown fields are refused so a
//! misspelt `revers = true` is an error rather than silently ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDefinition {
    pub id: String,
    pub version: i64,
    pub title: String,
    #[serde(default)]
    pub citation: Option<String>,
    #[serde(default)]
    pub instructions: Option<String>,
    pub licence: RawLicence,
    pub response: RawResponse,
    pub items: Vec<RawItem>,
    #[serde(default)]
    pub total: Option<RawScale>,
    #[serde(default)]
    pub subscales: Vec<RawScale>,
    pub missing: RawMissing,
    #[serde(default)]
    pub bands: Vec<RawBand>,
    #[serde(default)]
    pub cutoffs: Vec<RawCutoff>,
    #[serde(default)]
    pub reliable_change: Vec<RawRci>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLicence {
    pub status: String,
    pub embed_text: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawResponse {
    pub min: i64,
    pub max: i64,
    /// Answer value (as a TOML key, `0 = "Not at all"`) → label.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawItem {
    pub n: i64,
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub reverse: bool,
    #[serde(default)]
    pub risk: bool,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScale {
    /// Required for subscales; the total is always `total`.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    /// Required for subscales; the total defaults to every item.
    #[serde(default)]
    pub items: Option<Vec<i64>>,
    pub method: String,
    pub direction: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMissing {
    pub max_missing: i64,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBand {
    pub scale: String,
    pub min: i64,
    pub max: i64,
    pub label: String,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCutoff {
    pub scale: String,
    pub op: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub norms: Option<RawNorms>,
    pub label: String,
    pub source: String,
    #[serde(default)]
    pub clinical: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNorms {
    pub functional_mean: f64,
    pub functional_sd: f64,
    pub clinical_mean: f64,
    pub clinical_sd: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRci {
    pub scale: String,
    #[serde(default)]
    pub delta: Option<f64>,
    #[serde(default)]
    pub sd: Option<f64>,
    #[serde(default)]
    pub reliability: Option<f64>,
    pub source: String,
}
