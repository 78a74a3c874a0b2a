//! Sign-in rate limits, per client address and per account name, before any password check.
//! Lockout (in the store) counts failures; these limits slow guessing across accounts.

use std::{net::IpAddr, num::NonZeroU32};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Attempts allowed per minute from one address, and at one account name.
const PER_ADDRESS_PER_MINUTE: u32 = 20;
const PER_ACCOUNT_PER_MINUTE: u32 = 10;

#[derive(Debug)]
pub struct SignInLimiter {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        Self::new(PER_ADDRESS_PER_MINUTE, PER_ACCOUNT_PER_MINUTE)
    }
}

impl SignInLimiter {
    pub fn new(per_address_per_minute: u32, per_account_per_minute: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self {
            per_address: RateLimiter::keyed(quota(per_address_per_minute)),
            per_account: RateLimiter::keyed(quota(per_account_per_minute)),
        }
    }

    /// True when this attempt may go ahead; counts it against both limits.
    pub fn allow(&self, address: IpAddr, account: &str) -> bool {
        let address_ok = self.per_address.check_key(&address).is_ok();
        let account_ok = self.per_account.check_key(&account.to_lowercase()).is_ok();
        self.per_address.retain_recent();
        self.per_account.retain_recent();
        address_ok && account_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_beyond_the_quota_are_refused() {
        let limiter = SignInLimiter::new(3, 100);
        let here: IpAddr = [127, 0, 0, 1].into();
        assert!((0..3).all(|i| limiter.allow(here, &format!("user{i}"))));
        assert!(!limiter.allow(here, "user9"));
        let elsewhere: IpAddr = [10, 0, 0, 2].into();
        assert!(limiter.allow(elsewhere, "user9"));
    }

    #[test]
    fn one_account_is_limited_across_addresses() {
        let limiter = SignInLimiter::new(100, 2);
        assert!(limiter.allow([10, 0, 0, 1].into(), "ana"));
        assert!(limiter.allow([10, 0, 0, 2].into(), "ANA"));
        assert!(!limiter.allow([10, 0, 0, 3].into(), "ana"));
    }
}
