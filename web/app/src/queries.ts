// Every operation the app sends, typed by graphql-codegen from the schema
// (npm run codegen writes src/gql/).
import { graphql } from './gql';

export const MeQuery = graphql(`
  query Me {
    me { id email displayName timeZone needsReauth googleConnected scopes lastSyncAt }
  }
`);

export const SyncStatusQuery = graphql(`
  query SyncStatuses {
    syncStatus { service state lastSyncAt itemCount error updatedAt }
  }
`);

export const SyncProgressSubscription = graphql(`
  subscription SyncProgress {
    syncProgress { service state lastSyncAt itemCount error updatedAt }
  }
`);

export const SyncNowMutation = graphql(`
  mutation SyncNow($service: Service!) {
    syncNow(service: $service) { service state lastSyncAt itemCount error updatedAt }
  }
`);

export const ConversationsQuery = graphql(`
  query Conversations($first: Int, $after: String) {
    conversations(first: $first, after: $after) {
      edges { node { id title updatedAt messageCount } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const ActionFields = graphql(`
  fragment ActionFields on Action { id stepId kind service summary status result error }
`);

export const StepFields = graphql(`
  fragment StepFields on StepResult {
    stepId service operation status error reason durationMs
    items { service kind itemId nodeId title snippet at }
    actions { ...ActionFields }
  }
`);

export const ConversationQuery = graphql(`
  query Conversation($id: ID!, $after: String) {
    conversation(id: $id) {
      id title
      messages(first: 50, after: $after) {
        edges {
          node {
            id query status response error
            plan { id service operation }
            stepResults { ...StepFields }
            actions { ...ActionFields }
            citations { service itemId title url }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const AskMutation = graphql(`
  mutation Ask($input: AskInput!) {
    ask(input: $input) {
      message { id query status }
      conversation { id title }
    }
  }
`);

export const AnswerSubscription = graphql(`
  subscription Answer($messageId: ID!) {
    answer(messageId: $messageId) {
      type seq status detail stepId token text error messageStatus
      step { ...StepFields }
      action { ...ActionFields }
      citations { service itemId title url }
    }
  }
`);

export const ConfirmActionMutation = graphql(`
  mutation ConfirmAction($messageId: ID!, $actionId: String!) {
    confirmAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }
  }
`);

export const RejectActionMutation = graphql(`
  mutation RejectAction($messageId: ID!, $actionId: String!) {
    rejectAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }
  }
`);

export const CancelAskMutation = graphql(`
  mutation CancelAsk($messageId: ID!) {
    cancelAsk(messageId: $messageId) { message { id status } }
  }
`);

export const EmailsQuery = graphql(`
  query Emails($filter: EmailFilter, $first: Int, $after: String) {
    emails(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id subject snippet receivedAt unread hasAttachment labels from { name email } } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`);

export const EventsQuery = graphql(`
  query Events($filter: EventFilter, $first: Int, $after: String) {
    events(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id title start end allDay location attendees { email name } } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`);

export const FilesQuery = graphql(`
  query Files($filter: FileFilter, $first: Int, $after: String) {
    files(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id name mimeType preview modifiedAt owners } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`);

export const SearchQuery = graphql(`
  query Search($query: String!, $first: Int) {
    search(query: $query, first: $first) {
      text
      filters {
        services from to labels after before attendees mimeTypes hasAttachment unread
        sources { field words start end }
      }
      hits {
        score
        legs { leg rank }
        item {
          __typename
          ... on Email { id subject snippet receivedAt from { name email } }
          ... on Event { id title start end location }
          ... on File { id name mimeType modifiedAt preview }
        }
      }
    }
  }
`);

export const NodeQuery = graphql(`
  query Node($id: ID!) {
    node(id: $id) {
      __typename
      ... on Email {
        id subject body receivedAt labels hasAttachment threadId
        from { name email } to { name email } cc { name email }
      }
      ... on Event {
        id title description location start end allDay timeZone organizer status htmlLink
        attendees { email name responseStatus organizer }
      }
      ... on File {
        id name mimeType preview owners modifiedAt webViewLink parentFolder trashed
        properties { key value }
      }
    }
  }
`);
