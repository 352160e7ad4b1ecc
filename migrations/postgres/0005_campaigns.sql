-- Campaigns: opt-in subscriptions, broadcasts and their per-recipient deliveries.
-- Times are unix milliseconds (BIGINT), as in 0001.

-- The ONE place a plaintext chat address is stored, deliberately: a
-- broadcast cannot be delivered without it. Only people who typed
-- /subscribe are here, and /unsubscribe deletes the row. No tip, session or
-- ledger row references this table, and it holds no timestamps: an
-- "interaction time" next to a chat id could be lined up with a tip's
-- created_at and undo the tip's anonymity.
-- address: the Telegram private chat id (= user id) or the Zalo user id.
-- province_code: NULL = national campaigns only.
CREATE TABLE subscriptions (
    id BIGSERIAL PRIMARY KEY,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    lang TEXT NOT NULL,
    province_code BIGINT,
    UNIQUE (channel, address)
);
CREATE INDEX subscriptions_province ON subscriptions (province_code);

-- state: scheduled -> running -> done, or paused / cancelled.
-- Deliveries are materialised when a campaign starts (scheduled -> running),
-- so people who subscribe later do not get it and the progress total is fixed.
CREATE TABLE campaigns (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    text_vi TEXT NOT NULL,
    text_en TEXT NOT NULL,
    all_provinces BIGINT NOT NULL,   -- 1 = everyone; 0 = only campaign_provinces
    scheduled_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX campaigns_state ON campaigns (state, scheduled_at);

CREATE TABLE campaign_provinces (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    province_code BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, province_code)
);

-- One row per recipient and campaign: the unit of crash safety.
-- pending -> sending (claimed and committed BEFORE the HTTP call)
--         -> sent | failed | removed (blocked the bot / left the OA)
--            | undeliverable (outside Zalo's messaging window)
--         -> pending again only when the platform said "not sent" (429, connect error)
-- A row found in 'sending' after its pacer died is ambiguous (the platforms
-- have no idempotency key): it becomes 'unknown' and is never resent.
-- unsubscribed / cancelled: skipped before sending.
-- The address is not copied here: it is read from subscriptions at send
-- time, so unsubscribing deletes it everywhere and stops pending sends.
CREATE TABLE deliveries (
    id BIGSERIAL PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    subscription_id BIGINT REFERENCES subscriptions (id) ON DELETE SET NULL,
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    not_before BIGINT NOT NULL DEFAULT 0,
    claimed_by TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    UNIQUE (campaign_id, subscription_id)
);
CREATE INDEX deliveries_queue ON deliveries (channel, state, campaign_id, id);
CREATE INDEX deliveries_subscription ON deliveries (subscription_id);
CREATE INDEX deliveries_progress ON deliveries (campaign_id, state);

-- One pacer per bot across all replicas: whoever holds the unexpired lease
-- for a channel sends; the others wait. A claim only succeeds while its
-- pacer's lease is valid (checked in the claiming UPDATE itself).
CREATE TABLE broadcast_leases (
    channel TEXT PRIMARY KEY NOT NULL,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
