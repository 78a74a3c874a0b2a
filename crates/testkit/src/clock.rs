//! A clock tests can move forward (idle logoff, lockout windows).

use std::sync::{Arc, Mutex};

use domain::Clock;
use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone)]
pub struct SettableClock(Arc<Mutex<Timestamp>>);

impl SettableClock {
    pub fn new(at: Timestamp) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.0.lock().unwrap();
        *now = now.checked_add(by).unwrap();
    }
}

impl Clock for SettableClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}
