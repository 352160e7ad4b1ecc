//! Receipts: the reporter's secret key to their tip. 100 random bits shown as
//! Crockford base32 (no I, L, O, U), five groups of four. Only a SHA-256 hash is stored.
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const GROUPS: usize = 5;
const CHARS: usize = GROUPS * 4; // 20 chars x 5 bits = 100 bits

#[derive(Clone, PartialEq, Eq)]
pub struct Receipt(String);

impl std::fmt::Debug for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Receipts are secrets; keep them out of logs and panics.
        f.write_str("Receipt(***)")
    }
}

impl Receipt {
    /// Draws a fresh receipt from the given CSPRNG.
    pub fn generate(rng: &mut (impl rand::CryptoRng + ?Sized)) -> Self {
        let mut code = String::with_capacity(CHARS);
        for _ in 0..CHARS {
            code.push(ALPHABET[(rng.next_u32() & 31) as usize] as char);
        }
        Receipt(code)
    }

    /// Accepts what people type: any case, spaces or hyphens anywhere, and the
    /// Crockford look-alikes (O->0, I/L->1).
    pub fn parse(input: &str) -> Option<Self> {
        let mut code = String::with_capacity(CHARS);
        for c in input.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\u{2010}'..='\u{2015}' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
                _ => return None,
            };
            code.push(c);
            if code.len() > CHARS {
                return None;
            }
        }
        (code.len() == CHARS).then_some(Receipt(code))
    }

    /// "7KQ2-M9XD-4RTA-PW3N-H6ZC"
    pub fn display(&self) -> String {
        let groups: Vec<&str> = (0..GROUPS).map(|g| &self.0[g * 4..g * 4 + 4]).collect();
        groups.join("-")
    }

    /// Hex SHA-256 of the canonical form: what the database keeps.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn generated_receipts_have_five_groups_of_four() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let r = Receipt::generate(&mut rng);
        let shown = r.display();
        assert_eq!(shown.len(), 24);
        assert_eq!(shown.split('-').count(), 5);
        assert!(
            shown
                .chars()
                .all(|c| c == '-' || ALPHABET.contains(&(c as u8)))
        );
    }

    #[test]
    fn parsing_ignores_case_spaces_and_hyphens() {
        let r = Receipt::parse("7KQ2-M9XD-4RTA-PW3N-H6ZC").unwrap();
        assert_eq!(Receipt::parse("7kq2 m9xd 4rta pw3n h6zc").unwrap(), r);
        assert_eq!(
            Receipt::parse("7KQ2M9XD4RTAPW3NH6ZC").unwrap().hash(),
            r.hash()
        );
    }

    #[test]
    fn wrong_lengths_and_symbols_are_refused() {
        assert!(Receipt::parse("7KQ2-M9XD").is_none());
        assert!(Receipt::parse("7KQ2-M9XD-4RTA-PW3N-H6ZC-AAAA").is_none());
        assert!(Receipt::parse("7KQ2-M9XD-4RTA-PW3N-H6Z!").is_none());
        assert!(Receipt::parse("").is_none());
    }

    #[test]
    fn the_debug_form_never_shows_the_secret() {
        let r = Receipt::parse("7KQ2-M9XD-4RTA-PW3N-H6ZC").unwrap();
        assert!(!format!("{r:?}").contains("7KQ2"));
    }
}
