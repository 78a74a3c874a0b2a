//! Argon2id hashing and verification, always on the blocking pool: a hash takes tens of
//! milliseconds of CPU, which must not stall the async threads serving other requests.

use std::sync::Arc;

use tokio::sync::OnceCell;

/// Hashes and verifies passwords; holds a dummy hash so that an unknown username costs
/// the same time as a wrong password and does not reveal which accounts exist.
#[derive(Debug, Clone, Default)]
pub struct PasswordHasher {
    dummy: Arc<OnceCell<String>>,
}

impl PasswordHasher {
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        Ok(tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await?)
    }

    /// Verifies `password` against `hash`, or against the dummy hash when there is no
    /// account, in which case the answer is always false.
    pub async fn verify(&self, password: String, hash: Option<String>) -> anyhow::Result<bool> {
        let known = hash.is_some();
        let hash = match hash {
            Some(hash) => hash,
            None => self.dummy_hash().await?,
        };
        let matches = tokio::task::spawn_blocking(move || {
            password_auth::verify_password(password, &hash).is_ok()
        })
        .await?;
        Ok(known && matches)
    }

    async fn dummy_hash(&self) -> anyhow::Result<String> {
        let hash = self
            .dummy
            .get_or_try_init(|| async {
                tokio::task::spawn_blocking(|| {
                    password_auth::generate_hash("no account has this password")
                })
                .await
            })
            .await?;
        Ok(hash.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn right_wrong_and_unknown() {
        let hasher = PasswordHasher::default();
        let hash = hasher.hash("a quiet river at dusk".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            hasher
                .verify("a quiet river at dusk".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("a loud river".into(), Some(hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("no account has this password".into(), None)
                .await
                .unwrap()
        );
    }
}

/// A random 20-character password from letters and digits that are hard to confuse,
/// for new accounts and resets when the administrator does not type one.
pub fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| {
            char::from(
                ALPHABET
                    .get(rng.random_range(0..ALPHABET.len()))
                    .copied()
                    .unwrap_or(b'x'),
            )
        })
        .collect()
}

#[cfg(test)]
mod generated_tests {
    #[test]
    fn generated_passwords_pass_the_policy_and_differ() {
        let (a, b) = (super::generate_password(), super::generate_password());
        assert!(domain::PasswordPolicy::default().check(&a).is_ok());
        assert_ne!(a, b);
    }
}
