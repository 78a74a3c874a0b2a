//! The audit context of a signed-in request: who is asking (the current user), from where
//! (the client's address, as sign-in records it) and when (the server's clock). Every
//! handler that changes data or records a view takes it, so no audit row says only "web".

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
    response::Response,
};
use store::AuditContext;

use crate::{AppState, auth::CurrentUser};

/// Extractor: the [`AuditContext`] for the signed-in user making this request. Without a
/// session it answers like [`CurrentUser`] (sign-in redirect for pages, 401 for the API).
#[derive(Debug, Clone)]
pub struct Audit(pub AuditContext);

/// Where a request came from, for the audit log: `web` and the client's IP address (never
/// a port, path or query).
pub fn origin(peer: Option<SocketAddr>) -> String {
    match peer {
        Some(peer) => format!("web {}", peer.ip()),
        None => "web".to_owned(),
    }
}

impl FromRequestParts<AppState> for Audit {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let current = CurrentUser::from_request_parts(parts, state).await?;
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| *peer);
        Ok(Audit(AuditContext::user(
            &current.user,
            &origin(peer),
            state.now(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_names_the_address_only() {
        let peer: SocketAddr = "192.0.2.7:51234".parse().unwrap();
        assert_eq!(origin(Some(peer)), "web 192.0.2.7");
        let v6: SocketAddr = "[2001:db8::1]:443".parse().unwrap();
        assert_eq!(origin(Some(v6)), "web 2001:db8::1");
        assert_eq!(origin(None), "web");
    }
}
