//! Test support: start the real Circlework server on `127.0.0.1:0` against a temporary
//! database (SQLite always; PostgreSQL when `CIRCLEWORK_TEST_POSTGRES_URL` is set), talk to
//! it over HTTP like a browser, and build fixtures through the real store.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod app;
mod client;
mod clock;

pub use app::{TestApp, TestUser};
pub use client::{Page, TestClient};
pub use clock::SettableClock;
pub use store::Backend;

/// Runs each async test `fn name(app: TestApp)` twice: `sqlite::name` and `postgres::name`.
/// The PostgreSQL one is skipped (and says so) without a test server, unless CI requires it.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(app) = $crate::TestApp::spawn($crate::Backend::Sqlite, stringify!($name)).await {
                    super::$name(app).await;
                }
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres, stringify!($name)).await {
                    super::$name(app).await;
                }
            })+
        }
    };
}
