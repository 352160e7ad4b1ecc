use super::*;

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn load(env: &[(&str, &str)], file: &[(&str, &str)]) -> Result<Config, ConfigError> {
    Config::from_layers(
        &CliOverrides::default(),
        map(env),
        map(file),
        Some(PathBuf::from("tipline.toml")),
    )
}

fn problems(err: ConfigError) -> Vec<String> {
    match err {
        ConfigError::Invalid(p) => p.iter().map(ToString::to_string).collect(),
        other => panic!("expected invalid values, got {other}"),
    }
}

fn origin_of(config: &Config, name: &str) -> (Option<String>, Origin) {
    let e = config
        .effective()
        .iter()
        .find(|e| e.name == name)
        .expect(name);
    (e.shown.clone(), e.origin)
}

#[test]
fn every_bad_value_is_reported_with_its_name_and_source() {
    let err = load(
        &[("TIPLINE_SLA_HOURS", "soon")],
        &[("TIPLINE_BIND", "x"), ("TIPLINE_TRUST_PROXY", "maybe")],
    )
    .unwrap_err();
    let p = problems(err);
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p.contains(
            &"TIPLINE_BIND='x' from tipline.toml: must be host:port, e.g. 127.0.0.1:8080"
                .to_string()
        ),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("TIPLINE_SLA_HOURS='soon' from the environment:")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("TIPLINE_TRUST_PROXY='maybe' from tipline.toml:")),
        "{p:?}"
    );
}

#[test]
fn command_line_beats_environment_beats_file_beats_default() {
    let cli = CliOverrides {
        settings: vec![("TIPLINE_SLA_HOURS".into(), "5".into())],
        ..Default::default()
    };
    let config = Config::from_layers(
        &cli,
        map(&[("TIPLINE_SLA_HOURS", "6"), ("TIPLINE_RETENTION_DAYS", "7")]),
        map(&[
            ("TIPLINE_SLA_HOURS", "8"),
            ("TIPLINE_RETENTION_DAYS", "9"),
            ("TIPLINE_PG_COMMITTERS", "3"),
        ]),
        None,
    )
    .unwrap();
    assert_eq!(config.web.sla_hours, 5);
    assert_eq!(config.web.default_retention_days, 7);
    assert_eq!(config.pg_committers, 3);
    assert_eq!(config.session_ttl_days, 30);
    assert_eq!(origin_of(&config, "TIPLINE_SLA_HOURS").1, Origin::Cli);
    assert_eq!(origin_of(&config, "TIPLINE_RETENTION_DAYS").1, Origin::Env);
    assert_eq!(origin_of(&config, "TIPLINE_PG_COMMITTERS").1, Origin::File);
    assert_eq!(
        origin_of(&config, "TIPLINE_SESSION_TTL_DAYS"),
        (Some("30".into()), Origin::Default)
    );
}

#[test]
fn an_empty_environment_value_counts_as_unset() {
    let config = load(&[("TIPLINE_SLA_HOURS", "")], &[("TIPLINE_SLA_HOURS", "12")]).unwrap();
    assert_eq!(config.web.sla_hours, 12);
}

#[test]
fn a_webhook_needs_a_secret_of_at_least_16_characters() {
    let url = (
        "TELEGRAM_WEBHOOK_URL",
        "https://tips.example.vn/telegram/webhook",
    );
    let p = problems(load(&[url, ("TELEGRAM_WEBHOOK_SECRET", "short_secret")], &[]).unwrap_err());
    assert_eq!(
        p,
        [
            "TELEGRAM_WEBHOOK_SECRET='***' from the environment: must be 16-256 characters of A-Z a-z 0-9 _ -"
        ]
    );
    let p = problems(load(&[url], &[]).unwrap_err());
    assert!(
        p[0].starts_with("TELEGRAM_WEBHOOK_SECRET is not set: required with TELEGRAM_WEBHOOK_URL"),
        "{p:?}"
    );
    let ok = load(
        &[url, ("TELEGRAM_WEBHOOK_SECRET", "a-long_enough-secret")],
        &[],
    )
    .unwrap();
    assert_eq!(
        ok.telegram.webhook.unwrap().secret.expose(),
        "a-long_enough-secret"
    );
}

#[test]
fn a_config_file_may_not_redirect_platform_apis_unless_allowed() {
    let file = [
        ("TELOXIDE_API_URL", "http://127.0.0.1:9/"),
        ("ZALO_API_BASE_URL", "http://127.0.0.1:9"),
    ];
    let p = problems(load(&[], &file).unwrap_err());
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p.iter()
            .all(|l| l.contains("a config file may not redirect a platform API")),
        "{p:?}"
    );
    // The environment is the operator's own: allowed.
    let env = load(&[("TELOXIDE_API_URL", "http://127.0.0.1:9/")], &[]).unwrap();
    assert_eq!(
        env.telegram.api_url.unwrap().as_str(),
        "http://127.0.0.1:9/"
    );
    let allowed = load(&[("TIPLINE_ALLOW_FILE_API_URLS", "true")], &file).unwrap();
    assert_eq!(allowed.zalo.api_base, "http://127.0.0.1:9");
    // The file cannot grant itself the permission.
    let mut own = file.to_vec();
    own.push(("TIPLINE_ALLOW_FILE_API_URLS", "true"));
    let p = problems(load(&[], &own).unwrap_err());
    assert!(
        p.iter().any(|l| l
            .starts_with("TIPLINE_ALLOW_FILE_API_URLS='true' from tipline.toml: may only be set")),
        "{p:?}"
    );
}

#[test]
fn unknown_file_keys_are_refused() {
    let p = problems(load(&[], &[("TIPLINE_SLA_HOUR", "3")]).unwrap_err());
    assert_eq!(
        p,
        [
            "TIPLINE_SLA_HOUR='3' from tipline.toml: unknown setting (`tipline config` lists them all)"
        ]
    );
}

#[test]
fn secrets_and_url_passwords_never_show() {
    let config = load(
        &[
            ("DATABASE_URL", "postgres://tipline:p@ss@db/tipline"),
            ("TELEGRAM_BOT_TOKEN", "123456:REAL-token"),
            ("ZALO_OA_SECRET_KEY", "oa-secret-value"),
        ],
        &[],
    )
    .unwrap();
    let debug = format!("{config:?}");
    let listed = format!("{:?}", config.effective());
    for text in [&debug, &listed] {
        assert!(
            !text.contains("p@ss")
                && !text.contains("REAL-token")
                && !text.contains("oa-secret-value"),
            "{text}"
        );
    }
    assert_eq!(
        origin_of(&config, "DATABASE_URL").0.as_deref(),
        Some("postgres://tipline:***@db/tipline")
    );
    assert_eq!(
        origin_of(&config, "TELEGRAM_BOT_TOKEN"),
        (Some("***".into()), Origin::Env)
    );
}

#[test]
fn pg_committers_and_help_file_come_from_the_file() {
    let config = load(
        &[],
        &[
            ("TIPLINE_PG_COMMITTERS", "4"),
            ("TIPLINE_HELP_FILE", "/etc/tipline/help.toml"),
        ],
    )
    .unwrap();
    assert_eq!(config.pg_committers, 4);
    assert_eq!(
        config.help_file,
        Some(PathBuf::from("/etc/tipline/help.toml"))
    );
}
