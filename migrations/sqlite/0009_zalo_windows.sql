-- Zalo's messaging windows (issue 15). A `cs` message may reach a user only
-- within 7 days of their last interaction with the OA, and is free only
-- within 48 hours. A broadcast must know which subscribers are inside, so
-- each subscription keeps the DAY of its last interaction: days since the
-- unix epoch (UTC), never a finer time. A day next to a chat address cannot
-- be lined up with a tip's created_at the way a timestamp could; it is
-- overwritten at most once a day, and goes with the subscription.
-- NULL: not known (subscribed before this migration): treated as outside.
ALTER TABLE subscriptions ADD COLUMN last_interaction_day BIGINT;
