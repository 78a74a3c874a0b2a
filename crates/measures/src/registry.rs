//! The instruments an installation knows: the bundled ones plus the organisation's own
//! definitions, each version kept (stored scores name the version they were scored with),
//! with any loaded text packs attached.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::definition::InstrumentDef;
use crate::text::{TextPack, attach_text};
use crate::{LoadError, RegistryError, bundled};

/// Where a definition came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Bundled,
    Organisation,
}

#[derive(Debug, Clone)]
struct Entry {
    def: InstrumentDef,
    origin: Origin,
}

/// Definitions by id and version.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    by_id: BTreeMap<String, BTreeMap<u32, Entry>>,
}

impl Registry {
    /// The bundled instruments: PHQ-9, GAD-7, GCQ-S.
    pub fn bundled() -> Result<Self, LoadError> {
        let mut registry = Self::default();
        for def in bundled::definitions()? {
            registry.insert(def, Origin::Bundled);
        }
        Ok(registry)
    }

    /// The bundled instruments, then the organisation's definitions and text packs (as the
    /// store returns them).
    pub fn with_organisation(
        definitions: impl IntoIterator<Item = InstrumentDef>,
        packs: &[TextPack],
    ) -> Result<Self, RegistryError> {
        let mut registry = Self::bundled()?;
        for def in definitions {
            registry.add_definition(def)?;
        }
        for pack in packs {
            registry.attach_text(pack)?;
        }
        Ok(registry)
    }

    /// Whether `def` could be added: its id is not a bundled one and its version is new.
    pub fn check_definition(&self, def: &InstrumentDef) -> Result<(), RegistryError> {
        let versions = self.by_id.get(def.id());
        if versions.is_some_and(|v| v.values().any(|e| e.origin == Origin::Bundled)) {
            return Err(RegistryError::BundledId {
                id: def.id().to_owned(),
            });
        }
        if versions.is_some_and(|v| v.contains_key(&def.version())) {
            return Err(RegistryError::VersionTaken {
                id: def.id().to_owned(),
                version: def.version(),
            });
        }
        Ok(())
    }

    /// Adds an organisation's definition (see [`Self::check_definition`]).
    pub fn add_definition(&mut self, def: InstrumentDef) -> Result<(), RegistryError> {
        self.check_definition(&def)?;
        self.insert(def, Origin::Organisation);
        Ok(())
    }

    /// The definition `pack` is for, with the pack's wording attached; changes nothing.
    pub fn check_text(&self, pack: &TextPack) -> Result<InstrumentDef, RegistryError> {
        let def = self
            .version(&pack.instrument, pack.version)
            .ok_or_else(|| RegistryError::Unknown {
                id: pack.instrument.clone(),
                version: pack.version,
            })?;
        Ok(attach_text(def, pack)?)
    }

    /// Puts a pack's wording on its definition (replacing earlier wording).
    pub fn attach_text(&mut self, pack: &TextPack) -> Result<(), RegistryError> {
        let merged = self.check_text(pack)?;
        if let Some(entry) = self
            .by_id
            .get_mut(&pack.instrument)
            .and_then(|versions| versions.get_mut(&pack.version))
        {
            entry.def = merged;
        }
        Ok(())
    }

    fn insert(&mut self, def: InstrumentDef, origin: Origin) {
        self.by_id
            .entry(def.id().to_owned())
            .or_default()
            .insert(def.version(), Entry { def, origin });
    }

    /// The newest version of an instrument.
    pub fn get(&self, id: &str) -> Option<&InstrumentDef> {
        Some(&self.by_id.get(id)?.values().next_back()?.def)
    }

    pub fn version(&self, id: &str, version: u32) -> Option<&InstrumentDef> {
        Some(&self.by_id.get(id)?.get(&version)?.def)
    }

    pub fn origin(&self, id: &str) -> Option<Origin> {
        Some(self.by_id.get(id)?.values().next_back()?.origin)
    }

    /// The newest version of each instrument, by id.
    pub fn instruments(&self) -> impl Iterator<Item = (&InstrumentDef, Origin)> {
        self.by_id
            .values()
            .filter_map(|versions| versions.values().next_back())
            .map(|entry| (&entry.def, entry.origin))
    }

    /// Every version of every instrument, by id then version.
    pub fn all_versions(&self) -> impl Iterator<Item = (&InstrumentDef, Origin)> {
        self.by_id
            .values()
            .flat_map(BTreeMap::values)
            .map(|entry| (&entry.def, entry.origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_definition;

    fn org_def(id: &str, version: u32) -> InstrumentDef {
        let text = format!(
            "id = \"{id}\"\nversion = {version}\ntitle = \"Org scale\"\n\
             [licence]\nstatus = \"permission\"\nembed_text = false\n\
             [response]\nmin = 0\nmax = 10\n\
             [[items]]\nn = 1\nkey = \"only\"\nlabel = \"Only\"\n\
             [total]\nmethod = \"sum\"\ndirection = \"higher_better\"\n\
             [missing]\nmax_missing = 0\nsource = \"no missing\"\n"
        );
        parse_definition("org.toml", &text).unwrap()
    }

    #[test]
    fn bundled_ids_are_reserved_and_versions_are_kept() {
        let mut registry = Registry::bundled().unwrap();
        assert_eq!(
            registry.add_definition(org_def("phq9", 2)),
            Err(RegistryError::BundledId { id: "phq9".into() })
        );
        registry.add_definition(org_def("srs_local", 1)).unwrap();
        registry.add_definition(org_def("srs_local", 2)).unwrap();
        assert_eq!(
            registry.add_definition(org_def("srs_local", 1)),
            Err(RegistryError::VersionTaken {
                id: "srs_local".into(),
                version: 1
            })
        );
        assert_eq!(registry.get("srs_local").unwrap().version(), 2);
        assert_eq!(registry.version("srs_local", 1).unwrap().version(), 1);
        assert_eq!(registry.origin("srs_local"), Some(Origin::Organisation));
        assert_eq!(registry.origin("gad7"), Some(Origin::Bundled));
        let ids: Vec<&str> = registry.instruments().map(|(d, _)| d.id()).collect();
        assert_eq!(ids, ["gad7", "gcqs", "phq9", "srs_local"]);
        assert_eq!(registry.all_versions().count(), 5);
    }
}
