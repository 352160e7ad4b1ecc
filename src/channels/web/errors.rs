//! What the chat API answers when it cannot take a request: a status code
//! and `{"error": {"code", "message"}}`, the message in the user's language.
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::outbox::Refusal;
use super::token::TokenError;
use crate::i18n::{I18n, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiError {
    Token(TokenError),
    BadJson,
    BadRequest,
    Empty,
    TooLong,
    PhotoTooLarge,
    NotAPhoto,
    Refused(Refusal),
    TooManyNew,
}

impl ApiError {
    /// The status, a stable code for scripts, and the Fluent key.
    fn parts(self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Token(TokenError::Missing) => (StatusCode::UNAUTHORIZED, "token-missing"),
            ApiError::Token(TokenError::Malformed) => (StatusCode::BAD_REQUEST, "token-malformed"),
            ApiError::Token(TokenError::Forged) => (StatusCode::UNAUTHORIZED, "token-forged"),
            ApiError::BadJson => (StatusCode::BAD_REQUEST, "bad-json"),
            ApiError::BadRequest => (StatusCode::BAD_REQUEST, "bad-request"),
            ApiError::Empty => (StatusCode::UNPROCESSABLE_ENTITY, "empty"),
            ApiError::TooLong => (StatusCode::PAYLOAD_TOO_LARGE, "too-long"),
            ApiError::PhotoTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "photo-too-large"),
            ApiError::NotAPhoto => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not-a-photo"),
            ApiError::Refused(Refusal::Replayed) => (StatusCode::CONFLICT, "replayed"),
            ApiError::Refused(Refusal::TooFast) => (StatusCode::TOO_MANY_REQUESTS, "too-fast"),
            ApiError::Refused(Refusal::Busy) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ApiError::TooManyNew => (StatusCode::TOO_MANY_REQUESTS, "too-many-new"),
        }
    }

    pub fn respond(self, i18n: &I18n, lang: Lang) -> Response {
        let (status, code) = self.parts();
        let message = i18n.tr(lang, &format!("web-error-{code}"));
        let body = serde_json::json!({ "error": { "code": code, "message": message } });
        let mut res = (status, Json(body)).into_response();
        if status == StatusCode::TOO_MANY_REQUESTS {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("60"),
            );
        }
        res
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        ApiError::Refused(r)
    }
}

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> Self {
        ApiError::Token(e)
    }
}

/// Every code, for the test that each has a message in every language.
pub const ALL: &[ApiError] = &[
    ApiError::Token(TokenError::Missing),
    ApiError::Token(TokenError::Malformed),
    ApiError::Token(TokenError::Forged),
    ApiError::BadJson,
    ApiError::BadRequest,
    ApiError::Empty,
    ApiError::TooLong,
    ApiError::PhotoTooLarge,
    ApiError::NotAPhoto,
    ApiError::Refused(Refusal::Replayed),
    ApiError::Refused(Refusal::TooFast),
    ApiError::Refused(Refusal::Busy),
    ApiError::TooManyNew,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_message_in_every_language() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let i18n = I18n::load(&dir).expect("locales");
        for e in ALL {
            for lang in Lang::ALL {
                let key = format!("web-error-{}", e.parts().1);
                assert!(i18n.has(lang, &key), "{key} in {}", lang.code());
            }
        }
    }
}
