//! Temporary databases for tests: a fresh SQLite file, or a fresh database on the
//! PostgreSQL server named by `CIRCLEWORK_TEST_POSTGRES_URL`.
//!
//! When `CIRCLEWORK_REQUIRE_POSTGRES=1` (CI sets it) a missing PostgreSQL URL fails the test
//! instead of skipping it, so a CI run cannot pass with PostgreSQL silently untested.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::{Backend, SqlStore, StoreError};

pub const POSTGRES_URL_VAR: &str = "CIRCLEWORK_TEST_POSTGRES_URL";
pub const REQUIRE_POSTGRES_VAR: &str = "CIRCLEWORK_REQUIRE_POSTGRES";

/// A database that exists for one test. SQLite files vanish with the temp dir; PostgreSQL
/// databases are dropped on a best-effort basis by [`TempDatabase::drop_database`] and
/// otherwise die with the throwaway cluster.
#[derive(Debug)]
pub struct TempDatabase {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
}

/// The PostgreSQL admin URL for tests, or why there is none.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|url| !url.is_empty())
}

/// Call at the top of a PostgreSQL test: `None` means skip (and says so), unless
/// PostgreSQL is required, in which case it fails.
pub fn postgres_or_skip(test: &str) -> Option<String> {
    match postgres_admin_url() {
        Some(url) => Some(url),
        None if std::env::var(REQUIRE_POSTGRES_VAR).as_deref() == Ok("1") => {
            eprintln!("{test}: {POSTGRES_URL_VAR} is not set but {REQUIRE_POSTGRES_VAR}=1");
            std::process::exit(101)
        }
        None => {
            eprintln!("SKIPPED {test}: set {POSTGRES_URL_VAR} to run it on PostgreSQL");
            None
        }
    }
}

impl TempDatabase {
    /// A fresh, empty SQLite file in its own temporary directory.
    pub fn sqlite() -> Result<Self, StoreError> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("circlework.db");
        Ok(Self {
            url: format!("sqlite://{}", path.display()),
            backend: Backend::Sqlite,
            _dir: Some(dir),
        })
    }

    /// A fresh, empty database on the test PostgreSQL server.
    pub async fn postgres(admin_url: &str) -> Result<Self, StoreError> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "cw_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            random_suffix()
        );
        let admin = SqlStore::connect(admin_url).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin.pool)
            .await?;
        admin.close().await;
        let url = replace_database(admin_url, &name);
        Ok(Self {
            url,
            backend: Backend::Postgres,
            _dir: None,
        })
    }

    /// A database for `backend`: SQLite always; PostgreSQL when a URL is configured.
    pub async fn for_backend(
        backend: Backend,
        admin_url: Option<&str>,
    ) -> Result<Self, StoreError> {
        match (backend, admin_url) {
            (Backend::Sqlite, _) => Self::sqlite(),
            (Backend::Postgres, Some(url)) => Self::postgres(url).await,
            (Backend::Postgres, None) => Err(StoreError::UnsupportedUrl(format!(
                "{POSTGRES_URL_VAR} is not set"
            ))),
        }
    }
}

fn random_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish() % 1_000_000
}

/// Swaps the database name at the end of a PostgreSQL URL, keeping any query string.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let server_end = base
        .get(after_scheme..)
        .and_then(|rest| rest.find('/'))
        .map(|i| i + after_scheme);
    let server = server_end.and_then(|end| base.get(..end)).unwrap_or(base);
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_swapped_keeping_the_query() {
        assert_eq!(
            replace_database("postgres://u@h:5432/postgres", "t1"),
            "postgres://u@h:5432/t1"
        );
        assert_eq!(
            replace_database("postgres://u@h:5432", "t1"),
            "postgres://u@h:5432/t1"
        );
        assert_eq!(
            replace_database("postgres://u@h/postgres?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
    }
}
