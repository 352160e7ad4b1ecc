//! Zalo OA webhook payloads, as Zalo sends them, e.g.
//! `{"app_id":"..","event_name":"user_send_location","timestamp":"1751100041636",
//!   "sender":{"id":".."},"recipient":{"id":".."},
//!   "message":{"msg_id":"..","text":"..","attachments":[{"type":"location",
//!   "payload":{"coordinates":{"latitude":"10.79","longitude":"106.78"}}}]}}`
//! Numbers sometimes arrive as strings, so both are accepted.
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum ZaloInput {
    Text(String),
    Location {
        lat: f64,
        lon: f64,
    },
    /// A photo or file to fetch; `size` as Zalo announced it, when it did.
    File {
        url: String,
        size: Option<u64>,
    },
    /// Anything we cannot use (sticker, audio, a location without coordinates...).
    Unsupported,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Message {
        sender: String,
        msg_id: String,
        input: ZaloInput,
    },
    Follow {
        follower: String,
    },
    /// The user left the OA; their campaign subscription goes too.
    Unfollow {
        follower: String,
    },
    /// Acknowledged and ignored (our own sends echoed back, seen receipts...).
    Other,
}

#[derive(Deserialize)]
struct Raw {
    event_name: String,
    sender: Option<Id>,
    follower: Option<Id>,
    message: Option<RawMessage>,
}

#[derive(Deserialize)]
struct Id {
    id: Value,
}

#[derive(Deserialize)]
struct RawMessage {
    msg_id: Option<Value>,
    text: Option<String>,
    #[serde(default)]
    attachments: Vec<RawAttachment>,
}

#[derive(Deserialize)]
struct RawAttachment {
    payload: Option<RawPayload>,
}

#[derive(Deserialize)]
struct RawPayload {
    url: Option<String>,
    size: Option<Value>,
    coordinates: Option<Coordinates>,
}

#[derive(Deserialize)]
struct Coordinates {
    latitude: Value,
    longitude: Value,
}

/// The `timestamp` field as it appears in the body, for the signature.
pub fn timestamp(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Stamp {
        timestamp: Value,
    }
    as_string(&serde_json::from_slice::<Stamp>(body).ok()?.timestamp)
}

fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    as_string(v)?.trim().parse().ok()
}

pub fn parse(body: &[u8]) -> Result<Event, serde_json::Error> {
    let raw: Raw = serde_json::from_slice(body)?;
    let sender = raw.sender.as_ref().and_then(|s| as_string(&s.id));
    let message = raw.message.as_ref();
    let msg_id = message.and_then(|m| m.msg_id.as_ref()).and_then(as_string);
    let first = message
        .and_then(|m| m.attachments.first())
        .and_then(|a| a.payload.as_ref());
    let input = match raw.event_name.as_str() {
        "user_send_text" => message.and_then(|m| m.text.clone()).map(ZaloInput::Text),
        "user_send_location" => Some(
            first
                .and_then(|p| p.coordinates.as_ref())
                .and_then(|c| {
                    Some(ZaloInput::Location {
                        lat: as_f64(&c.latitude)?,
                        lon: as_f64(&c.longitude)?,
                    })
                })
                .unwrap_or(ZaloInput::Unsupported),
        ),
        "user_send_image" | "user_send_file" => Some(
            first
                .and_then(|p| {
                    Some(ZaloInput::File {
                        url: p.url.clone()?,
                        size: p
                            .size
                            .as_ref()
                            .and_then(as_string)
                            .and_then(|s| s.parse().ok()),
                    })
                })
                .unwrap_or(ZaloInput::Unsupported),
        ),
        "user_send_sticker"
        | "user_send_gif"
        | "user_send_audio"
        | "user_send_video"
        | "user_send_link"
        | "user_send_business_card" => Some(ZaloInput::Unsupported),
        "follow" => {
            return Ok(match raw.follower.as_ref().and_then(|f| as_string(&f.id)) {
                Some(follower) => Event::Follow { follower },
                None => Event::Other,
            });
        }
        "unfollow" => {
            return Ok(match raw.follower.as_ref().and_then(|f| as_string(&f.id)) {
                Some(follower) => Event::Unfollow { follower },
                None => Event::Other,
            });
        }
        _ => None,
    };
    Ok(match (input, sender, msg_id) {
        (Some(input), Some(sender), Some(msg_id)) => Event::Message {
            sender,
            msg_id,
            input,
        },
        _ => Event::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_with_string_coordinates_is_understood() {
        let body = br#"{"event_name":"user_send_location","app_id":"1","sender":{"id":"83"},"recipient":{"id":"14"},
            "message":{"attachments":[{"payload":{"coordinates":{"latitude":"10.7923119","longitude":"106.7820651"}},"type":"location"}],
            "text":"x","msg_id":"b8de"},"timestamp":"1751100041636"}"#;
        assert_eq!(timestamp(body).as_deref(), Some("1751100041636"));
        let Event::Message {
            input: ZaloInput::Location { lat, lon },
            msg_id,
            ..
        } = parse(body).unwrap()
        else {
            panic!()
        };
        assert!((lat - 10.7923119).abs() < 1e-9 && (lon - 106.7820651).abs() < 1e-9);
        assert_eq!(msg_id, "b8de");
    }

    #[test]
    fn our_own_echoed_messages_are_ignored() {
        let body = br#"{"event_name":"oa_send_text","sender":{"id":"1"},"message":{"msg_id":"m","text":"hi"},"timestamp":"1"}"#;
        assert_eq!(parse(body).unwrap(), Event::Other);
    }
}
