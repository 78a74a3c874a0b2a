//! What every handler can reach: the store, the clock, settings and limits.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use domain::{Clock, OrganisationSettings};
use jiff::Timestamp;
use store::SharedStore;

use crate::auth::{password::PasswordHasher, rate_limit::SignInLimiter};

/// How the server was configured at start.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` and send HSTS (set when served over TLS, directly or via a proxy).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            max_body_bytes: 2 * 1024 * 1024,
        }
    }
}

/// The wall clock, the one place the web server reads the time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one sanctioned read of the real clock
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// Shared state, cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: SharedStore,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<WebConfig>,
    pub passwords: PasswordHasher,
    pub sign_in_limiter: Arc<SignInLimiter>,
    settings: Arc<Mutex<Option<(Instant, OrganisationSettings)>>>,
}

/// Settings change rarely but are read on every request (idle logoff); they are cached
/// briefly, and dropped from the cache whenever this server changes them.
const SETTINGS_TTL: Duration = Duration::from_secs(15);

impl AppState {
    pub fn new(store: SharedStore, clock: Arc<dyn Clock>, config: WebConfig) -> Self {
        Self {
            store,
            clock,
            config: Arc::new(config),
            passwords: PasswordHasher::default(),
            sign_in_limiter: Arc::new(SignInLimiter::default()),
            settings: Arc::new(Mutex::new(None)),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The organisation's settings, at most a few seconds old.
    pub async fn settings(&self) -> Result<OrganisationSettings, store::StoreError> {
        if let Ok(cached) = self.settings.lock()
            && let Some((fetched, settings)) = cached.as_ref()
            && fetched.elapsed() < SETTINGS_TTL
        {
            return Ok(settings.clone());
        }
        let settings = self.store.settings().await?;
        if let Ok(mut cached) = self.settings.lock() {
            *cached = Some((Instant::now(), settings.clone()));
        }
        Ok(settings)
    }

    pub fn forget_settings(&self) {
        if let Ok(mut cached) = self.settings.lock() {
            *cached = None;
        }
    }
}
