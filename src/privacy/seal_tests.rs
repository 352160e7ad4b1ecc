use super::*;

#[test]
fn text_round_trips_and_hides_the_plaintext() {
    let keys = DataKeys::generate("data.key");
    let sealed = keys.seal_text("tips.description", "a purple scooter");
    assert!(!sealed.contains("purple"));
    assert!(DataKeys::is_sealed_text(&sealed));
    assert!(keys.is_current_text(&sealed));
    assert_eq!(
        keys.open_text("tips.description", &sealed).unwrap(),
        "a purple scooter"
    );
    // A fresh nonce each time: equal plaintexts do not look equal.
    assert_ne!(
        sealed,
        keys.seal_text("tips.description", "a purple scooter")
    );
}

#[test]
fn bytes_round_trip() {
    let keys = DataKeys::generate("data.key");
    let sealed = keys.seal_bytes("attachments.bytes", b"\xff\xd8 jpeg");
    assert!(DataKeys::is_sealed_bytes(&sealed));
    assert_eq!(
        keys.open_bytes("attachments.bytes", &sealed).unwrap(),
        b"\xff\xd8 jpeg"
    );
}

#[test]
fn a_value_moved_to_another_column_does_not_open() {
    let keys = DataKeys::generate("data.key");
    let sealed = keys.seal_text("tip_events.body", "note");
    assert!(matches!(
        keys.open_text("tips.description", &sealed),
        Err(SealError::WrongKey { .. })
    ));
}

#[test]
fn another_key_file_is_named_in_the_error() {
    let keys = DataKeys::generate("/srv/a/data.key");
    let other = DataKeys::generate("/srv/b/data.key");
    let sealed = keys.seal_text("tips.description", "x");
    let err = other.open_text("tips.description", &sealed).unwrap_err();
    assert!(matches!(err, SealError::UnknownKey { .. }));
    assert!(err.to_string().contains("/srv/b/data.key"), "{err}");
}

#[test]
fn a_tampered_value_is_refused_never_returned() {
    let keys = DataKeys::generate("data.key");
    let mut sealed = keys.seal_bytes("attachments.bytes", b"photo");
    let last = sealed.len() - 1;
    sealed[last] ^= 1;
    assert!(keys.open_bytes("attachments.bytes", &sealed).is_err());
    assert!(matches!(
        keys.open_text("x", "plain text"),
        Err(SealError::Malformed { .. })
    ));
}

#[test]
fn a_rotated_keyring_opens_old_values_and_seals_with_the_new_key() {
    let old = DataKeys::generate("data.key");
    let sealed_old = old.seal_text("c", "before");
    let both = DataKeys::parse(&old.with_new_key().to_file_text(), "data.key").unwrap();
    assert_eq!(both.ids().len(), 2);
    assert_eq!(both.open_text("c", &sealed_old).unwrap(), "before");
    assert!(!both.is_current_text(&sealed_old));
    let sealed_new = both.seal_text("c", "after");
    assert!(both.is_current_text(&sealed_new));
    let new_only = both.current_only();
    assert_eq!(new_only.open_text("c", &sealed_new).unwrap(), "after");
    assert!(new_only.open_text("c", &sealed_old).is_err());
    assert_eq!(both.index_candidates("s", "42").len(), 2);
    assert_eq!(both.index_candidates("s", "42")[0], both.index("s", "42"));
    assert_ne!(old.index("s", "42"), both.index("s", "42"));
}

#[test]
fn a_bad_key_file_is_explained() {
    for text in ["", "# only a comment\n", "key zz 00\n", "secret 1234\n"] {
        let err = DataKeys::parse(text, "data.key").unwrap_err();
        assert!(err.to_string().contains("data.key"), "{err}");
    }
    let keys = DataKeys::generate("data.key");
    let twice = format!("{0}{0}", keys.to_file_text());
    assert!(DataKeys::parse(&twice, "data.key").is_err());
}

#[test]
fn debug_never_shows_key_material() {
    let keys = DataKeys::generate("data.key");
    let shown = format!("{keys:?}");
    let text = keys.to_file_text();
    let material = text.lines().last().unwrap().split(' ').nth(2).unwrap();
    assert!(!shown.contains(material));
}
