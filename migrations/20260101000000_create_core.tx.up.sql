-- Core schema: users, conversations, messages, the three workspace caches and sync status.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- array_to_string is only STABLE, and generated columns need IMMUTABLE
-- expressions; joining text with a fixed separator does not depend on settings.
CREATE FUNCTION join_words(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN array_to_string($1, ' ');

CREATE TABLE users (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email                text NOT NULL,
    display_name         text NOT NULL DEFAULT '',
    time_zone            text NOT NULL DEFAULT 'UTC',
    -- Google OAuth tokens, AES-256-GCM ciphertext; token_key_id names the key.
    google_access_token  bytea,
    google_refresh_token bytea,
    token_key_id         text,
    token_expires_at     timestamptz,
    needs_reauth         boolean NOT NULL DEFAULT false,
    last_active_at       timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_last_active_idx ON users (last_active_at DESC NULLS LAST);

CREATE TABLE conversations (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_user_idx ON conversations (user_id, updated_at DESC, id DESC);

CREATE TABLE messages (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id   uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_request_id text,
    query             text NOT NULL,
    status            text NOT NULL DEFAULT 'pending',
    intent            jsonb,
    plan              jsonb,
    response          text NOT NULL DEFAULT '',
    citations         jsonb NOT NULL DEFAULT '[]',
    -- proposed and executed actions, with their state
    actions_taken     jsonb NOT NULL DEFAULT '[]',
    step_results      jsonb NOT NULL DEFAULT '[]',
    timings           jsonb NOT NULL DEFAULT '{}',
    error             text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at, id);
CREATE UNIQUE INDEX messages_client_request_key ON messages (user_id, client_request_id)
    WHERE client_request_id IS NOT NULL;

CREATE TABLE gmail_cache (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email_id        text NOT NULL,
    thread_id       text NOT NULL DEFAULT '',
    history_id      bigint NOT NULL DEFAULT 0,
    message_ids     text[] NOT NULL DEFAULT '{}',
    subject         text NOT NULL DEFAULT '',
    sender          text NOT NULL DEFAULT '',
    sender_name     text NOT NULL DEFAULT '',
    recipients      jsonb NOT NULL DEFAULT '[]',
    recipient_addrs text[] NOT NULL DEFAULT '{}',
    body_preview    text NOT NULL DEFAULT '',
    body            text NOT NULL DEFAULT '',
    labels          text[] NOT NULL DEFAULT '{}',
    has_attachment  boolean NOT NULL DEFAULT false,
    unread          boolean NOT NULL DEFAULT false,
    received_at     timestamptz NOT NULL,
    embedding       vector(256),
    embedding_model text NOT NULL DEFAULT '',
    search          tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', subject), 'A') ||
        setweight(to_tsvector('simple', sender_name || ' ' || sender || ' ' || join_words(recipient_addrs)), 'B') ||
        setweight(to_tsvector('english', left(body, 200000)), 'C')
    ) STORED,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, email_id)
);
ALTER TABLE gmail_cache ALTER COLUMN embedding SET STORAGE PLAIN;
CREATE INDEX gmail_cache_user_received_idx ON gmail_cache (user_id, received_at DESC, id DESC);
CREATE INDEX gmail_cache_user_sender_idx ON gmail_cache (user_id, lower(sender), received_at DESC);
CREATE INDEX gmail_cache_labels_idx ON gmail_cache USING gin (labels);
CREATE INDEX gmail_cache_recipients_idx ON gmail_cache USING gin (recipient_addrs);
CREATE INDEX gmail_cache_message_ids_idx ON gmail_cache USING gin (message_ids);
CREATE INDEX gmail_cache_search_idx ON gmail_cache USING gin (search);

CREATE TABLE gcal_cache (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_id        text NOT NULL,
    calendar_id     text NOT NULL DEFAULT 'primary',
    title           text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    location        text NOT NULL DEFAULT '',
    start_time      timestamptz NOT NULL,
    end_time        timestamptz NOT NULL,
    all_day         boolean NOT NULL DEFAULT false,
    time_zone       text NOT NULL DEFAULT 'UTC',
    attendees       jsonb NOT NULL DEFAULT '[]',
    attendee_addrs  text[] NOT NULL DEFAULT '{}',
    attendee_names  text NOT NULL DEFAULT '',
    organizer       text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'confirmed',
    html_link       text NOT NULL DEFAULT '',
    embedding       vector(256),
    embedding_model text NOT NULL DEFAULT '',
    search          tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('simple', attendee_names || ' ' || join_words(attendee_addrs) || ' ' || organizer || ' ' || location), 'B') ||
        setweight(to_tsvector('english', left(description, 200000)), 'C')
    ) STORED,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, event_id)
);
ALTER TABLE gcal_cache ALTER COLUMN embedding SET STORAGE PLAIN;
CREATE INDEX gcal_cache_user_start_idx ON gcal_cache (user_id, start_time, id);
CREATE INDEX gcal_cache_attendees_idx ON gcal_cache USING gin (attendee_addrs);
CREATE INDEX gcal_cache_search_idx ON gcal_cache USING gin (search);

CREATE TABLE gdrive_cache (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_id         text NOT NULL,
    name            text NOT NULL DEFAULT '',
    mime_type       text NOT NULL DEFAULT '',
    content_preview text NOT NULL DEFAULT '',
    content         text NOT NULL DEFAULT '',
    parent_folder   text NOT NULL DEFAULT '',
    owners          text[] NOT NULL DEFAULT '{}',
    properties      jsonb NOT NULL DEFAULT '{}',
    web_view_link   text NOT NULL DEFAULT '',
    trashed         boolean NOT NULL DEFAULT false,
    modified_at     timestamptz NOT NULL,
    embedding       vector(256),
    embedding_model text NOT NULL DEFAULT '',
    search          tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A') ||
        setweight(to_tsvector('simple', join_words(owners) || ' ' || parent_folder), 'B') ||
        setweight(to_tsvector('english', left(content, 200000)), 'C')
    ) STORED,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, file_id)
);
ALTER TABLE gdrive_cache ALTER COLUMN embedding SET STORAGE PLAIN;
CREATE INDEX gdrive_cache_user_modified_idx ON gdrive_cache (user_id, modified_at DESC, id DESC);
CREATE INDEX gdrive_cache_user_mime_idx ON gdrive_cache (user_id, mime_type);
CREATE INDEX gdrive_cache_search_idx ON gdrive_cache USING gin (search);

CREATE TABLE sync_status (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    service      text NOT NULL CHECK (service IN ('gmail', 'calendar', 'drive')),
    state        text NOT NULL DEFAULT 'never_synced',
    last_sync_at timestamptz,
    last_sync_token text NOT NULL DEFAULT '',
    checkpoint   text NOT NULL DEFAULT '',
    error        text NOT NULL DEFAULT '',
    item_count   integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, service)
);
