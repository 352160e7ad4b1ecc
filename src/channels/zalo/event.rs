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
    /// `timestamp` is the event's own, as signed: with the follower it makes
    /// a dedupe key that is the same on every redelivery of this event.
    Follow { follower: String, timestamp: String },
    /// The user left the OA; their campaign subscription goes too.
    Unfollow { follower: String, timestamp: String },
    /// Acknowledged and ignored (our own sends echoed back, the receipts
    /// `user_received_message` / `user_seen_message`...).
    Other,
}

/// An event and the OA it was sent to (`recipient.id` of a user message,
/// `oa_id` of a follow), when the body names one.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub event: Event,
    pub oa: Option<String>,
}

#[derive(Deserialize)]
struct Raw {
    event_name: String,
    sender: Option<Id>,
    recipient: Option<Id>,
    follower: Option<Id>,
    oa_id: Option<Value>,
    timestamp: Option<Value>,
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

/// True when the body does not claim to be an event at all: Zalo's check of
/// a new webhook URL posts `{}`, unsigned, and saves the URL only on a 200.
pub fn is_probe(body: &[u8]) -> bool {
    if body.iter().all(u8::is_ascii_whitespace) {
        return true;
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => !map.contains_key("event_name"),
        _ => false,
    }
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

pub fn parse(body: &[u8]) -> Result<Parsed, serde_json::Error> {
    let raw: Raw = serde_json::from_slice(body)?;
    let oa = if raw.event_name.starts_with("user_") {
        raw.recipient.as_ref().and_then(|r| as_string(&r.id))
    } else {
        raw.oa_id.as_ref().and_then(as_string)
    };
    Ok(Parsed {
        event: event_of(&raw),
        oa,
    })
}

fn event_of(raw: &Raw) -> Event {
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
        "follow" | "unfollow" => return follow_event(raw),
        // Receipts (user_received_message, user_seen_message with msg_ids),
        // our own sends echoed back (oa_send_*), and anything new: ignored.
        _ => None,
    };
    match (input, sender, msg_id) {
        (Some(input), Some(sender), Some(msg_id)) => Event::Message {
            sender,
            msg_id,
            input,
        },
        _ => Event::Other,
    }
}

fn follow_event(raw: &Raw) -> Event {
    let follower = raw.follower.as_ref().and_then(|f| as_string(&f.id));
    let timestamp = raw.timestamp.as_ref().and_then(as_string);
    match (raw.event_name.as_str(), follower, timestamp) {
        ("follow", Some(follower), Some(timestamp)) => Event::Follow {
            follower,
            timestamp,
        },
        ("unfollow", Some(follower), Some(timestamp)) => Event::Unfollow {
            follower,
            timestamp,
        },
        _ => Event::Other,
    }
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
        let parsed = parse(body).unwrap();
        assert_eq!(parsed.oa.as_deref(), Some("14"));
        let Event::Message {
            input: ZaloInput::Location { lat, lon },
            msg_id,
            ..
        } = parsed.event
        else {
            panic!()
        };
        assert!((lat - 10.7923119).abs() < 1e-9 && (lon - 106.7820651).abs() < 1e-9);
        assert_eq!(msg_id, "b8de");
    }

    #[test]
    fn our_own_echoed_messages_are_ignored() {
        let body = br#"{"event_name":"oa_send_text","sender":{"id":"1"},"message":{"msg_id":"m","text":"hi"},"timestamp":"1"}"#;
        assert_eq!(parse(body).unwrap().event, Event::Other);
    }

    #[test]
    fn receipts_with_msg_ids_are_ignored() {
        for name in ["user_received_message", "user_seen_message"] {
            let body = format!(
                r#"{{"event_name":"{name}","sender":{{"id":"oa"}},"recipient":{{"id":"u"}},"message":{{"msg_ids":["a","b"]}},"timestamp":"1"}}"#
            );
            assert_eq!(parse(body.as_bytes()).unwrap().event, Event::Other);
        }
    }

    #[test]
    fn a_follow_carries_its_oa_and_timestamp() {
        let body = br#"{"event_name":"follow","oa_id":"1423","follower":{"id":"83"},"source":"oa_profile","timestamp":"1751100041636","app_id":"1"}"#;
        let parsed = parse(body).unwrap();
        assert_eq!(parsed.oa.as_deref(), Some("1423"));
        assert_eq!(
            parsed.event,
            Event::Follow {
                follower: "83".into(),
                timestamp: "1751100041636".into()
            }
        );
    }

    #[test]
    fn only_bodies_without_event_name_are_probes() {
        assert!(is_probe(b"{}"));
        assert!(is_probe(b""));
        assert!(is_probe(br#"{"hello":1}"#));
        assert!(!is_probe(br#"{"event_name":"user_send_text"}"#));
        assert!(!is_probe(b"not json"));
    }
}
