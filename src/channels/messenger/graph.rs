//! The Graph API's shapes, in one place: webhook deliveries in, Send API
//! and Messenger Profile bodies out, error bodies back. As Meta documents
//! them (Messenger Platform: Webhooks, Send API, Quick Replies, Messenger
//! Profile API, Common Error Codes), e.g.
//! `{"object":"page","entry":[{"id":"<PAGE_ID>","time":1458692752478,
//!   "messaging":[{"sender":{"id":"<PSID>"},"recipient":{"id":"<PAGE_ID>"},
//!   "timestamp":1458692752478,"message":{"mid":"m_1","text":"hi",
//!   "quick_reply":{"payload":"vi"}}}]}]}`.
//! Each `messaging` item is read on its own, so one odd item does not sink
//! the batch it came in.
use serde::Deserialize;
use serde_json::{Value, json};

/// The `object` of a Page's deliveries; anything else is not ours.
pub const PAGE_OBJECT: &str = "page";
/// Quick replies Meta shows on one message.
pub const MAX_QUICK_REPLIES: usize = 13;
/// Characters of a quick reply's title (counted here in UTF-16 units, never fewer).
pub const QUICK_REPLY_TITLE_MAX: usize = 20;
/// Characters of a quick reply's payload.
pub const QUICK_REPLY_PAYLOAD_MAX: usize = 1000;
/// Images taken from one message; Messenger bundles a few photos per message.
pub const MAX_IMAGES_PER_MESSAGE: usize = 5;

/// What a user sent, before anything is fetched.
#[derive(Debug, Clone, PartialEq)]
pub enum UserInput {
    Text(String),
    /// A quick reply's payload: the id of the option we offered.
    QuickReply(String),
    /// A postback (Get Started, persistent menu): the payload we set.
    Postback(String),
    Location {
        lat: f64,
        lon: f64,
    },
    /// A photo to fetch from Meta's CDN.
    Image {
        url: String,
    },
    /// Stickers, audio, video, files, templates...
    Unsupported,
}

/// One `messaging` item that asks for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct UserEvent {
    /// The page-scoped id (PSID) of the sender. Hashed into the session key
    /// and never stored or logged, except in a subscription the user asks for.
    pub sender: String,
    /// The platform's id for this input: the message's `mid` (with the
    /// attachment's index after the first), or, for a postback without
    /// one, its timestamp (keyed with the sender before it is claimed).
    pub delivery: Delivery,
    pub input: UserInput,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Mid(String),
    Stamped(String),
}

/// The parsed body: the events to answer, in delivery order.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub object: String,
    pub events: Vec<UserEvent>,
}

#[derive(Deserialize)]
struct RawBody {
    object: String,
    #[serde(default)]
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(default)]
    messaging: Vec<Value>,
}

#[derive(Deserialize)]
struct RawItem {
    sender: Id,
    timestamp: Option<Value>,
    message: Option<RawMessage>,
    postback: Option<RawPostback>,
}

#[derive(Deserialize)]
struct Id {
    id: Value,
}

#[derive(Deserialize)]
struct RawMessage {
    mid: Option<String>,
    text: Option<String>,
    #[serde(default)]
    is_echo: bool,
    quick_reply: Option<Payload>,
    #[serde(default)]
    attachments: Vec<RawAttachment>,
}

#[derive(Deserialize)]
struct Payload {
    payload: Value,
}

#[derive(Deserialize)]
struct RawPostback {
    mid: Option<String>,
    payload: Option<Value>,
}

#[derive(Deserialize)]
struct RawAttachment {
    #[serde(rename = "type")]
    kind: Option<String>,
    payload: Option<Value>,
}

fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses a delivery body. Err: not JSON, or not shaped like a delivery.
pub fn parse(body: &[u8]) -> Result<Batch, serde_json::Error> {
    let raw: RawBody = serde_json::from_slice(body)?;
    let mut events = Vec::new();
    for item in raw.entry.iter().flat_map(|e| &e.messaging) {
        // Deliveries, reads, reactions, optins and items we cannot read give nothing.
        if let Ok(item) = serde_json::from_value::<RawItem>(item.clone()) {
            events.extend(events_of(item));
        }
    }
    Ok(Batch {
        object: raw.object,
        events,
    })
}

fn events_of(item: RawItem) -> Vec<UserEvent> {
    let Some(sender) = as_string(&item.sender.id) else {
        return Vec::new();
    };
    let event = |delivery, input| UserEvent {
        sender: sender.clone(),
        delivery,
        input,
    };
    if let Some(p) = item.postback {
        let delivery = match (p.mid, item.timestamp.as_ref().and_then(as_string)) {
            (Some(mid), _) if !mid.is_empty() => Delivery::Mid(mid),
            (_, Some(ts)) => Delivery::Stamped(ts),
            _ => return Vec::new(),
        };
        let payload = p.payload.as_ref().and_then(as_string).unwrap_or_default();
        return vec![event(delivery, UserInput::Postback(payload))];
    }
    let Some(m) = item.message else {
        return Vec::new();
    };
    let Some(mid) = m.mid.filter(|mid| !mid.is_empty()) else {
        return Vec::new();
    };
    if m.is_echo {
        return Vec::new(); // our own replies, echoed back
    }
    if let Some(q) = m.quick_reply.as_ref().and_then(|q| as_string(&q.payload)) {
        return vec![event(Delivery::Mid(mid), UserInput::QuickReply(q))];
    }
    if m.attachments.is_empty() {
        let text = m.text.unwrap_or_default();
        return vec![event(Delivery::Mid(mid), UserInput::Text(text))];
    }
    m.attachments
        .iter()
        .take(MAX_IMAGES_PER_MESSAGE)
        .enumerate()
        .map(|(i, a)| {
            let id = if i == 0 {
                mid.clone()
            } else {
                format!("{mid}#{i}")
            };
            event(Delivery::Mid(id), attachment_input(a))
        })
        .collect()
}

fn attachment_input(a: &RawAttachment) -> UserInput {
    let payload = a.payload.as_ref();
    let field = |k: &str| payload.and_then(|p| p.get(k));
    match a.kind.as_deref() {
        // A sticker arrives as an image with a sticker_id: not a photo.
        Some("image") if field("sticker_id").is_none() => field("url")
            .and_then(as_string)
            .map_or(UserInput::Unsupported, |url| UserInput::Image { url }),
        Some("location") => {
            let c = field("coordinates");
            let num = |k: &str| c.and_then(|c| c.get(k)).and_then(Value::as_f64);
            match (num("lat"), num("long")) {
                (Some(lat), Some(lon)) => UserInput::Location { lat, lon },
                _ => UserInput::Unsupported,
            }
        }
        _ => UserInput::Unsupported,
    }
}

/// Why a message is sent (Send API `messaging_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessagingType {
    /// An answer to the user's own message.
    Response,
    /// A message of ours within the 24-hour window (campaigns). Tags
    /// (MESSAGE_TAG) are never used: none covers awareness campaigns.
    Update,
}

impl MessagingType {
    pub fn as_str(self) -> &'static str {
        match self {
            MessagingType::Response => "RESPONSE",
            MessagingType::Update => "UPDATE",
        }
    }
}

/// A Send API quick reply: what the button shows and what it sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickReply {
    pub title: String,
    pub payload: String,
}

/// The body of `POST /me/messages`.
pub fn send_body(psid: &str, kind: MessagingType, text: &str, quick: &[QuickReply]) -> Value {
    let mut message = json!({ "text": text });
    if !quick.is_empty() {
        let q: Vec<Value> = quick
            .iter()
            .map(|q| json!({ "content_type": "text", "title": q.title, "payload": q.payload }))
            .collect();
        message["quick_replies"] = Value::Array(q);
    }
    json!({ "recipient": { "id": psid }, "messaging_type": kind.as_str(), "message": message })
}

/// A Graph API error body: `{"error":{"message":..,"type":..,"code":190,
/// "error_subcode":..,"fbtrace_id":..}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GraphError {
    pub code: i64,
    #[serde(default)]
    pub error_subcode: Option<i64>,
    #[serde(default)]
    pub message: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: GraphError,
}

/// The error in an answer body, if it is one.
pub fn error_of(body: &[u8]) -> Option<GraphError> {
    serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .map(|b| b.error)
}

/// The success answer of the Send API: `{"recipient_id":..,"message_id":..}`.
pub fn is_sent(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("message_id").cloned())
        .is_some_and(|id| id.is_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_keeps_order_and_drops_echoes_reads_and_reactions() {
        let body = br#"{"object":"page","entry":[
          {"id":"P","time":1,"messaging":[
            {"sender":{"id":"U1"},"recipient":{"id":"P"},"timestamp":1,"message":{"mid":"m1","text":"xin chao"}},
            {"sender":{"id":"P"},"recipient":{"id":"U1"},"timestamp":2,"message":{"mid":"m2","text":"echo","is_echo":true}},
            {"sender":{"id":"U1"},"recipient":{"id":"P"},"timestamp":3,"read":{"watermark":3}},
            {"sender":{"id":"U1"},"recipient":{"id":"P"},"timestamp":4,"reaction":{"mid":"m9","action":"react","emoji":"x"}}]},
          {"id":"P","time":5,"messaging":[
            {"sender":{"id":"U2"},"recipient":{"id":"P"},"timestamp":5,"message":{"mid":"m3","text":"Red","quick_reply":{"payload":"red"}}},
            {"sender":{"id":"U2"},"recipient":{"id":"P"},"timestamp":6,"postback":{"title":"Get Started","payload":"/start"}}]}]}"#;
        let b = parse(body).unwrap();
        assert_eq!(b.object, "page");
        let inputs: Vec<_> = b.events.iter().map(|e| e.input.clone()).collect();
        assert_eq!(
            inputs,
            vec![
                UserInput::Text("xin chao".into()),
                UserInput::QuickReply("red".into()),
                UserInput::Postback("/start".into())
            ]
        );
        assert_eq!(b.events[2].delivery, Delivery::Stamped("6".into()));
    }

    #[test]
    fn photos_stickers_and_locations_are_told_apart() {
        let body = br#"{"object":"page","entry":[{"messaging":[
            {"sender":{"id":"U"},"timestamp":1,"message":{"mid":"m","attachments":[
              {"type":"image","payload":{"url":"https://cdn/x.jpg"}},
              {"type":"image","payload":{"url":"https://cdn/s.png","sticker_id":369239263222822}},
              {"type":"location","payload":{"coordinates":{"lat":10.95,"long":106.82}}},
              {"type":"video","payload":{"url":"https://cdn/v.mp4"}}]}}]}]}"#;
        let b = parse(body).unwrap();
        let ids: Vec<_> = b.events.iter().map(|e| e.delivery.clone()).collect();
        assert_eq!(ids[0], Delivery::Mid("m".into()));
        assert_eq!(ids[3], Delivery::Mid("m#3".into()));
        assert_eq!(
            b.events[0].input,
            UserInput::Image {
                url: "https://cdn/x.jpg".into()
            }
        );
        assert_eq!(b.events[1].input, UserInput::Unsupported);
        assert!(matches!(b.events[2].input, UserInput::Location { .. }));
        assert_eq!(b.events[3].input, UserInput::Unsupported);
    }

    #[test]
    fn a_send_body_has_quick_replies_only_when_given() {
        let plain = send_body("U", MessagingType::Update, "hi", &[]);
        assert_eq!(plain["messaging_type"], "UPDATE");
        assert!(plain["message"].get("quick_replies").is_none());
        let q = QuickReply {
            title: "1".into(),
            payload: "a".into(),
        };
        let b = send_body("U", MessagingType::Response, "pick", &[q]);
        assert_eq!(b["recipient"]["id"], "U");
        assert_eq!(b["message"]["quick_replies"][0]["content_type"], "text");
        assert_eq!(b["message"]["quick_replies"][0]["payload"], "a");
    }

    #[test]
    fn error_bodies_are_read() {
        let e = error_of(br#"{"error":{"message":"This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2018278,"fbtrace_id":"x"}}"#).unwrap();
        assert_eq!((e.code, e.error_subcode), (10, Some(2018278)));
        assert!(error_of(br#"{"recipient_id":"1","message_id":"m"}"#).is_none());
        assert!(is_sent(br#"{"recipient_id":"1","message_id":"m"}"#));
    }
}
