/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What an action does once confirmed. */
export type ActionKind =
  /** Creates a calendar event. */
  | 'CREATE_EVENT'
  /** Deletes a calendar event. */
  | 'DELETE_EVENT'
  /** Sends a drafted email. */
  | 'SEND_EMAIL'
  /** Shares a Drive file. */
  | 'SHARE_FILE'
  /** Changes a calendar event. */
  | 'UPDATE_EVENT';

/** Where a proposed action stands. */
export type ActionStatus =
  /** Confirmed and done. */
  | 'EXECUTED'
  /** Confirmed but it failed; see `error`. Confirming again retries it safely. */
  | 'FAILED'
  /** Awaits the person's decision; nothing has happened. */
  | 'PROPOSED'
  /** Rejected; it will never run. */
  | 'REJECTED';

/** What an answer event carries. */
export type AnswerEventType =
  /** A side effect was proposed and awaits `confirmAction`. */
  | 'ACTION_PROPOSED'
  /** The answer is complete: `text` and `citations`. The last event. */
  | 'DONE'
  /** The ask failed or was cancelled: `error` and `messageStatus`. The last event. */
  | 'ERROR'
  /** Progress: classifying, planning, step_started, step_finished or synthesizing. */
  | 'STATUS'
  /** A step finished; `step` is its outcome. */
  | 'STEP_RESULT'
  /** A chunk of the answer's text; the chunks in order make the whole text. */
  | 'TOKEN';

/** What `ask` needs. */
export type AskInput = {
  /** An idempotency key the client chooses: a retry with the same key returns the first message and asks nothing again. */
  clientRequestId?: string | null | undefined;
  /** The conversation to continue (its global id); null starts a new one titled after the query. */
  conversationId?: string | number | null | undefined;
  /** The request in plain language, at most 2000 characters. */
  query: string;
};

/** Restricts a list of emails; every field set must match (AND); list fields match any of their values. */
export type EmailFilter = {
  /** Only messages received at or after this instant. */
  after?: string | null | undefined;
  /** Only messages received before this instant. */
  before?: string | null | undefined;
  /** Sender addresses. */
  from?: Array<string> | null | undefined;
  /** Only messages with (true) or without (false) attachments. */
  hasAttachment?: boolean | null | undefined;
  /** Gmail label ids. */
  labels?: Array<string> | null | undefined;
  /** RFC 822 Message-IDs. */
  messageIds?: Array<string> | null | undefined;
  /** Free text matched against subject, sender and body. When set, the list comes from the hybrid search engine (as `search` does, restricted to this service), best match first, at most 50 items; every other field set must still match; cursors are then offsets in that ranked list. */
  query?: string | null | undefined;
  /** Recipient addresses (To or Cc). */
  to?: Array<string> | null | undefined;
  /** Only unread (true) or read (false) messages. */
  unread?: boolean | null | undefined;
};

/** Restricts a list of events; every field set must match (AND). */
export type EventFilter = {
  /** Only events ending after this instant. */
  after?: string | null | undefined;
  /** Attendee addresses; an event matches when any of them is invited. */
  attendees?: Array<string> | null | undefined;
  /** Only events starting before this instant. */
  before?: string | null | undefined;
  /** Free text matched against title, attendees and description. When set, the list comes from the hybrid search engine (as `search` does, restricted to this service), best match first, at most 50 items; every other field set must still match; cursors are then offsets in that ranked list. */
  query?: string | null | undefined;
};

/** Restricts a list of files; every field set must match (AND). */
export type FileFilter = {
  /** Only files modified at or after this instant. */
  after?: string | null | undefined;
  /** Only files modified before this instant. */
  before?: string | null | undefined;
  /** MIME types; a file matches when it has any of them. */
  mimeTypes?: Array<string> | null | undefined;
  /** Owner addresses; a file matches when any of them owns it. */
  owners?: Array<string> | null | undefined;
  /** Free text matched against name and content. When set, the list comes from the hybrid search engine (as `search` does, restricted to this service), best match first, at most 50 items; every other field set must still match; cursors are then offsets in that ranked list. */
  query?: string | null | undefined;
};

/** Where an ask stands. */
export type MessageStatus =
  /** Cancelled before it finished. */
  | 'CANCELLED'
  /** Answered. */
  | 'DONE'
  /** Could not be answered; see `error`. */
  | 'FAILED'
  /** Accepted, not started yet. */
  | 'PENDING'
  /** Being answered. */
  | 'RUNNING';

/** A retrieval method whose ranked list the hybrid search fuses. */
export type SearchLeg =
  /** Vector similarity over the items the query's filters admit. */
  | 'FILTERED'
  /** Okapi BM25 over the query's words. */
  | 'FULLTEXT'
  /** Vector similarity over all the caller's items. */
  | 'VECTOR';

/** A Google Workspace service the product reads and writes. */
export type Service =
  /** Google Calendar. */
  | 'CALENDAR'
  /** Google Drive. */
  | 'DRIVE'
  /** Gmail. */
  | 'GMAIL';

/** How a step ended. */
export type StepStatus =
  /** The ask was cancelled before the step finished. */
  | 'CANCELLED'
  /** It ran and failed; see `error`. */
  | 'FAILED'
  /** It did not run because a step it depends on did not succeed; see `reason`. */
  | 'SKIPPED'
  /** It ran and succeeded. */
  | 'SUCCEEDED';

/** Where a service's sync stands. */
export type SyncState =
  /** The last sync failed; see `error`. It is retried. */
  | 'FAILED'
  /** Not syncing; the last sync, if any, succeeded. */
  | 'IDLE'
  /** Never synced yet. */
  | 'NEVER_SYNCED'
  /** Google asked to wait (rate limit); the sync resumes by itself when the wait is over. */
  | 'RATE_LIMITED'
  /** The Google account must be authorised again; sync is paused. */
  | 'REAUTH_REQUIRED'
  /** A sync is running. */
  | 'RUNNING';

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, displayName: string, timeZone: string, needsReauth: boolean, googleConnected: boolean, scopes: Array<string>, lastSyncAt: string | null } };

export type SyncStatusesQueryVariables = Exact<{ [key: string]: never; }>;


export type SyncStatusesQuery = { syncStatus: Array<{ service: Service, state: SyncState, lastSyncAt: string | null, itemCount: number, error: string, updatedAt: string | null }> };

export type SyncProgressSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type SyncProgressSubscription = { syncProgress: { service: Service, state: SyncState, lastSyncAt: string | null, itemCount: number, error: string, updatedAt: string | null } };

export type SyncNowMutationVariables = Exact<{
  service: Service;
}>;


export type SyncNowMutation = { syncNow: { service: Service, state: SyncState, lastSyncAt: string | null, itemCount: number, error: string, updatedAt: string | null } };

export type ConversationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConversationsQuery = { conversations: { edges: Array<{ node: { id: string, title: string, updatedAt: string, messageCount: number } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ActionFieldsFragment = { id: string, stepId: string, kind: ActionKind, service: Service, summary: string, status: ActionStatus, result: string, error: string };

export type StepFieldsFragment = { stepId: string, service: Service, operation: string, status: StepStatus, error: string, reason: string, durationMs: number, items: Array<{ service: Service, kind: string, itemId: string, nodeId: string | null, title: string, snippet: string, at: string | null }>, actions: Array<{ id: string, stepId: string, kind: ActionKind, service: Service, summary: string, status: ActionStatus, result: string, error: string }> };

export type ConversationQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type ConversationQuery = { conversation: { id: string, title: string, messages: { edges: Array<{ node: { id: string, query: string, status: MessageStatus, response: string, error: string, plan: Array<{ id: string, service: Service, operation: string }>, stepResults: Array<{ stepId: string, service: Service, operation: string, status: StepStatus, error: string, reason: string, durationMs: number, items: Array<{ service: Service, kind: string, itemId: string, nodeId: string | null, title: string, snippet: string, at: string | null }>, actions: Array<{ id: string, stepId: string, kind: ActionKind, service: Service, summary: string, status: ActionStatus, result: string, error: string }> }>, actions: Array<{ id: string, stepId: string, kind: ActionKind, service: Service, summary: string, status: ActionStatus, result: string, error: string }>, citations: Array<{ service: Service, itemId: string, title: string, url: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type AskMutationVariables = Exact<{
  input: AskInput;
}>;


export type AskMutation = { ask: { message: { id: string, query: string, status: MessageStatus }, conversation: { id: string, title: string } } };

export type AnswerSubscriptionVariables = Exact<{
  messageId: string | number;
}>;


export type AnswerSubscription = { answer: { type: AnswerEventType, seq: number, status: string | null, detail: string | null, stepId: string | null, token: string | null, text: string | null, error: string | null, messageStatus: MessageStatus | null, step: { stepId: string, service: Service, operation: string, status: StepStatus, error: string, reason: string, durationMs: number, items: Array<{ service: Service, kind: string, itemId: string, nodeId: string | null, title: string, snippet: string, at: string | null }>, actions: Array<{ id: string, stepId: string, kind: ActionKind, service: Service, summary: string, status: ActionStatus, result: string, error: string }> } | null, action: { id: string, stepId: string, kind: ActionKind, service: Service, summary: string, status: ActionStatus, result: string, error: string } | null, citations: Array<{ service: Service, itemId: string, title: string, url: string }> | null } };

export type ConfirmActionMutationVariables = Exact<{
  messageId: string | number;
  actionId: string;
}>;


export type ConfirmActionMutation = { confirmAction: { action: { id: string, stepId: string, kind: ActionKind, service: Service, summary: string, status: ActionStatus, result: string, error: string } } };

export type RejectActionMutationVariables = Exact<{
  messageId: string | number;
  actionId: string;
}>;


export type RejectActionMutation = { rejectAction: { action: { id: string, stepId: string, kind: ActionKind, service: Service, summary: string, status: ActionStatus, result: string, error: string } } };

export type CancelAskMutationVariables = Exact<{
  messageId: string | number;
}>;


export type CancelAskMutation = { cancelAsk: { message: { id: string, status: MessageStatus } } };

export type EmailsQueryVariables = Exact<{
  filter?: EmailFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type EmailsQuery = { emails: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, subject: string, snippet: string, receivedAt: string, unread: boolean, hasAttachment: boolean, labels: Array<string>, from: { name: string, email: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type EventsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type EventsQuery = { events: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, title: string, start: string, end: string, allDay: boolean, location: string, attendees: Array<{ email: string, name: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FilesQueryVariables = Exact<{
  filter?: FileFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FilesQuery = { files: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, name: string, mimeType: string, preview: string, modifiedAt: string, owners: Array<string> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type SearchQueryVariables = Exact<{
  query: string;
  first?: number | null | undefined;
}>;


export type SearchQuery = { search: { text: string, filters: { services: Array<Service>, from: Array<string>, to: Array<string>, labels: Array<string>, after: string | null, before: string | null, attendees: Array<string>, mimeTypes: Array<string>, hasAttachment: boolean, unread: boolean, sources: Array<{ field: string, words: string, start: number, end: number }> }, hits: Array<{ score: number, legs: Array<{ leg: SearchLeg, rank: number }>, item:
        | { __typename: 'Email', id: string, subject: string, snippet: string, receivedAt: string, from: { name: string, email: string } }
        | { __typename: 'Event', id: string, title: string, start: string, end: string, location: string }
        | { __typename: 'File', id: string, name: string, mimeType: string, modifiedAt: string, preview: string }
       | null }> } };

export type NodeQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeQuery = { node:
    | { __typename: 'Conversation' }
    | { __typename: 'Email', id: string, subject: string, body: string, receivedAt: string, labels: Array<string>, hasAttachment: boolean, threadId: string, from: { name: string, email: string }, to: Array<{ name: string, email: string }>, cc: Array<{ name: string, email: string }> }
    | { __typename: 'Event', id: string, title: string, description: string, location: string, start: string, end: string, allDay: boolean, timeZone: string, organizer: string, status: string, htmlLink: string, attendees: Array<{ email: string, name: string, responseStatus: string, organizer: boolean }> }
    | { __typename: 'File', id: string, name: string, mimeType: string, preview: string, owners: Array<string>, modifiedAt: string, webViewLink: string, parentFolder: string, trashed: boolean, properties: Array<{ key: string, value: string }> }
    | { __typename: 'Message' }
    | { __typename: 'User' }
   | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ActionFieldsFragmentDoc = new TypedDocumentString(`
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}
    `, {"fragmentName":"ActionFields"}) as unknown as TypedDocumentString<ActionFieldsFragment, unknown>;
export const StepFieldsFragmentDoc = new TypedDocumentString(`
    fragment StepFields on StepResult {
  stepId
  service
  operation
  status
  error
  reason
  durationMs
  items {
    service
    kind
    itemId
    nodeId
    title
    snippet
    at
  }
  actions {
    ...ActionFields
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}`, {"fragmentName":"StepFields"}) as unknown as TypedDocumentString<StepFieldsFragment, unknown>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    email
    displayName
    timeZone
    needsReauth
    googleConnected
    scopes
    lastSyncAt
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SyncStatusesDocument = new TypedDocumentString(`
    query SyncStatuses {
  syncStatus {
    service
    state
    lastSyncAt
    itemCount
    error
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<SyncStatusesQuery, SyncStatusesQueryVariables>;
export const SyncProgressDocument = new TypedDocumentString(`
    subscription SyncProgress {
  syncProgress {
    service
    state
    lastSyncAt
    itemCount
    error
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<SyncProgressSubscription, SyncProgressSubscriptionVariables>;
export const SyncNowDocument = new TypedDocumentString(`
    mutation SyncNow($service: Service!) {
  syncNow(service: $service) {
    service
    state
    lastSyncAt
    itemCount
    error
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<SyncNowMutation, SyncNowMutationVariables>;
export const ConversationsDocument = new TypedDocumentString(`
    query Conversations($first: Int, $after: String) {
  conversations(first: $first, after: $after) {
    edges {
      node {
        id
        title
        updatedAt
        messageCount
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ConversationsQuery, ConversationsQueryVariables>;
export const ConversationDocument = new TypedDocumentString(`
    query Conversation($id: ID!, $after: String) {
  conversation(id: $id) {
    id
    title
    messages(first: 50, after: $after) {
      edges {
        node {
          id
          query
          status
          response
          error
          plan {
            id
            service
            operation
          }
          stepResults {
            ...StepFields
          }
          actions {
            ...ActionFields
          }
          citations {
            service
            itemId
            title
            url
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}
fragment StepFields on StepResult {
  stepId
  service
  operation
  status
  error
  reason
  durationMs
  items {
    service
    kind
    itemId
    nodeId
    title
    snippet
    at
  }
  actions {
    ...ActionFields
  }
}`) as unknown as TypedDocumentString<ConversationQuery, ConversationQueryVariables>;
export const AskDocument = new TypedDocumentString(`
    mutation Ask($input: AskInput!) {
  ask(input: $input) {
    message {
      id
      query
      status
    }
    conversation {
      id
      title
    }
  }
}
    `) as unknown as TypedDocumentString<AskMutation, AskMutationVariables>;
export const AnswerDocument = new TypedDocumentString(`
    subscription Answer($messageId: ID!) {
  answer(messageId: $messageId) {
    type
    seq
    status
    detail
    stepId
    token
    text
    error
    messageStatus
    step {
      ...StepFields
    }
    action {
      ...ActionFields
    }
    citations {
      service
      itemId
      title
      url
    }
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}
fragment StepFields on StepResult {
  stepId
  service
  operation
  status
  error
  reason
  durationMs
  items {
    service
    kind
    itemId
    nodeId
    title
    snippet
    at
  }
  actions {
    ...ActionFields
  }
}`) as unknown as TypedDocumentString<AnswerSubscription, AnswerSubscriptionVariables>;
export const ConfirmActionDocument = new TypedDocumentString(`
    mutation ConfirmAction($messageId: ID!, $actionId: String!) {
  confirmAction(messageId: $messageId, actionId: $actionId) {
    action {
      ...ActionFields
    }
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}`) as unknown as TypedDocumentString<ConfirmActionMutation, ConfirmActionMutationVariables>;
export const RejectActionDocument = new TypedDocumentString(`
    mutation RejectAction($messageId: ID!, $actionId: String!) {
  rejectAction(messageId: $messageId, actionId: $actionId) {
    action {
      ...ActionFields
    }
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}`) as unknown as TypedDocumentString<RejectActionMutation, RejectActionMutationVariables>;
export const CancelAskDocument = new TypedDocumentString(`
    mutation CancelAsk($messageId: ID!) {
  cancelAsk(messageId: $messageId) {
    message {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<CancelAskMutation, CancelAskMutationVariables>;
export const EmailsDocument = new TypedDocumentString(`
    query Emails($filter: EmailFilter, $first: Int, $after: String) {
  emails(filter: $filter, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        subject
        snippet
        receivedAt
        unread
        hasAttachment
        labels
        from {
          name
          email
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<EmailsQuery, EmailsQueryVariables>;
export const EventsDocument = new TypedDocumentString(`
    query Events($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        title
        start
        end
        allDay
        location
        attendees {
          email
          name
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<EventsQuery, EventsQueryVariables>;
export const FilesDocument = new TypedDocumentString(`
    query Files($filter: FileFilter, $first: Int, $after: String) {
  files(filter: $filter, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        name
        mimeType
        preview
        modifiedAt
        owners
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<FilesQuery, FilesQueryVariables>;
export const SearchDocument = new TypedDocumentString(`
    query Search($query: String!, $first: Int) {
  search(query: $query, first: $first) {
    text
    filters {
      services
      from
      to
      labels
      after
      before
      attendees
      mimeTypes
      hasAttachment
      unread
      sources {
        field
        words
        start
        end
      }
    }
    hits {
      score
      legs {
        leg
        rank
      }
      item {
        __typename
        ... on Email {
          id
          subject
          snippet
          receivedAt
          from {
            name
            email
          }
        }
        ... on Event {
          id
          title
          start
          end
          location
        }
        ... on File {
          id
          name
          mimeType
          modifiedAt
          preview
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SearchQuery, SearchQueryVariables>;
export const NodeDocument = new TypedDocumentString(`
    query Node($id: ID!) {
  node(id: $id) {
    __typename
    ... on Email {
      id
      subject
      body
      receivedAt
      labels
      hasAttachment
      threadId
      from {
        name
        email
      }
      to {
        name
        email
      }
      cc {
        name
        email
      }
    }
    ... on Event {
      id
      title
      description
      location
      start
      end
      allDay
      timeZone
      organizer
      status
      htmlLink
      attendees {
        email
        name
        responseStatus
        organizer
      }
    }
    ... on File {
      id
      name
      mimeType
      preview
      owners
      modifiedAt
      webViewLink
      parentFolder
      trashed
      properties {
        key
        value
      }
    }
  }
}
    `) as unknown as TypedDocumentString<NodeQuery, NodeQueryVariables>;