//! Every migration exists for both databases under the same timestamped name.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::{collections::BTreeSet, fs, path::Path};

fn names(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_have_the_same_file_names() {
    let sqlite = names("sqlite");
    let postgres = names("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "add each migration to both folders under the same name"
    );
}

#[test]
fn migration_names_are_timestamped() {
    for name in names("sqlite") {
        let (stamp, rest) = name
            .split_once('_')
            .unwrap_or_else(|| panic!("{name}: expected YYYYMMDDHHMMSS_what.sql"));
        assert_eq!(stamp.len(), 14, "{name}");
        assert!(stamp.bytes().all(|b| b.is_ascii_digit()), "{name}");
        assert!(rest.ends_with(".sql"), "{name}");
    }
}
