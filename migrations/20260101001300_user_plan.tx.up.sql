-- Each user's plan sets their hourly API budget (free 100, pro 1,000,
-- enterprise 10,000 request units an hour; see README "Security").
ALTER TABLE users
    ADD COLUMN plan text NOT NULL DEFAULT 'free'
        CONSTRAINT users_plan_check CHECK (plan IN ('free', 'pro', 'enterprise'));
