//! `tipline chat`: the engine on stdin/stdout, for trying the bot and for scripts.
//! Options print as `[N] label`; answer with N or the label's text.
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;

use crate::app::AppState;
use crate::bot::{self, Speaker};
use crate::conversation::{Inbound, Reply};
use crate::domain::channel::Channel;
use crate::i18n::Lang;

pub async fn run(app: Arc<AppState>, user_id: String, lang: Option<Lang>) -> anyhow::Result<()> {
    let interactive = std::io::stdin().is_terminal();
    if interactive {
        eprintln!("Tipline console. Type /start to begin, /help for commands, Ctrl-D to quit.");
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(16);
    // stdin is blocking; read it on its own thread so the runtime stays free.
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            match line {
                Ok(l) => {
                    if tx.blocking_send(l).is_err() {
                        break;
                    }
                }
                Err(_) => break, // invalid UTF-8 or closed: stop reading
            }
        }
    });
    let speaker = Speaker {
        channel: Channel::Console,
        user_id: &user_id,
    };
    let mut stdout = std::io::stdout();
    if interactive {
        prompt(&mut stdout)?;
    }
    while let Some(line) = rx.recv().await {
        let inbound = Inbound {
            lang_hint: lang,
            ..Inbound::text(line, bot::now_ms())
        };
        let replies = bot::handle(&app, speaker, inbound).await;
        print_replies(&mut stdout, &replies)?;
        if interactive {
            prompt(&mut stdout)?;
        }
    }
    Ok(())
}

fn prompt(out: &mut impl Write) -> std::io::Result<()> {
    write!(out, "> ")?;
    out.flush()
}

pub fn render(replies: &[Reply]) -> String {
    let mut s = String::new();
    for r in replies {
        s.push_str(&r.text);
        s.push('\n');
        for (i, o) in r.options.iter().enumerate() {
            s.push_str(&format!("[{}] {}\n", i + 1, o.label));
        }
        s.push('\n');
    }
    s
}

fn print_replies(out: &mut impl Write, replies: &[Reply]) -> std::io::Result<()> {
    out.write_all(render(replies).as_bytes())?;
    out.flush()
}
