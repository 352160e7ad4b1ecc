//! A web chat client over plain HTTP, as the page's script talks to the API:
//! a token from /chat/api/session, numbered messages, and "replies after my
//! cursor" reads.
use serde_json::{Value, json};

pub struct WebClient {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    pub lang: &'static str,
    pub seq: u64,
    pub cursor: u64,
}

impl WebClient {
    pub async fn open(base: &str, lang: &'static str) -> WebClient {
        let http = reqwest::Client::new();
        let res = http
            .post(format!("{base}/chat/api/session"))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        assert!(res.headers().get("set-cookie").is_none(), "no cookie");
        let token = res.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string();
        WebClient {
            http,
            base: base.to_string(),
            token,
            lang,
            seq: 0,
            cursor: 0,
        }
    }

    /// Posts a raw body as message `seq` with this client's token.
    pub async fn post_raw(&self, body: String) -> (u16, Value) {
        let res = self
            .http
            .post(format!("{}/chat/api/messages", self.base))
            .header("accept-language", self.lang)
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn send(&mut self, fields: Value) -> (u16, Value) {
        self.seq += 1;
        let mut body = fields;
        body["seq"] = json!(self.seq);
        self.post_raw(body.to_string()).await
    }

    pub async fn text(&mut self, text: &str) -> Vec<Value> {
        let (status, body) = self.send(json!({ "text": text })).await;
        assert_eq!(status, 200, "{body}");
        self.read_new().await
    }

    pub async fn choose(&mut self, id: &str) -> Vec<Value> {
        let (status, body) = self.send(json!({ "choice": id })).await;
        assert_eq!(status, 200, "{body}");
        self.read_new().await
    }

    pub async fn photo(&mut self, bytes: Vec<u8>, content_type: &str) -> (u16, Value) {
        self.seq += 1;
        let res = self
            .http
            .post(format!("{}/chat/api/photos", self.base))
            .header("accept-language", self.lang)
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", content_type)
            .header("x-tipline-seq", self.seq.to_string())
            .body(bytes)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Reads from `after` without waiting; does not move the cursor.
    pub async fn read_at(&self, after: u64) -> Value {
        let res = self
            .http
            .get(format!(
                "{}/chat/api/replies?after={after}&wait=0",
                self.base
            ))
            .header("authorization", format!("Bearer {}", self.token))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    /// The replies after the cursor (acknowledging those before), moving it.
    pub async fn read_new(&mut self) -> Vec<Value> {
        let body = self.read_at(self.cursor).await;
        self.cursor = body["cursor"].as_u64().unwrap();
        body["messages"].as_array().unwrap().clone()
    }
}

/// All texts and option labels of some replies, as one string.
pub fn all_text(messages: &[Value]) -> String {
    let mut s = String::new();
    for m in messages {
        s.push_str(m["text"].as_str().unwrap_or(""));
        s.push('\n');
        for o in m["options"].as_array().into_iter().flatten() {
            s.push_str(&format!(
                "[{}] {}\n",
                o["id"].as_str().unwrap(),
                o["label"].as_str().unwrap()
            ));
        }
    }
    s
}
