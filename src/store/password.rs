//! Password hashing with Argon2id (PHC strings); clear passwords are never stored or logged.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use super::{Error, Result};
use crate::i18n::Msg;

/// Hashes a password with Argon2id's default parameters and a random salt.
pub fn hash(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Other(Msg::with("store.err_hash", &[("detail", &e)])))
}

/// Whether `password` matches the stored PHC string.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_hide_the_password() {
        let h = hash("secreto-largo").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("secreto-largo"));
        assert!(verify("secreto-largo", &h));
        assert!(!verify("secreto-larga", &h));
        assert!(!verify("secreto-largo", "no es un hash"));
        assert_ne!(h, hash("secreto-largo").expect("hash"), "salted");
    }
}
