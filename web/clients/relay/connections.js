// Every connection of the schema, paginated as Relay apps do: forward
// (first/after) and backward (last/before) with @connection. The test
// compiles these with relay-compiler against the server's own schema.
import { graphql } from 'relay-runtime';

export const emails = graphql`
  fragment connectionsEmails_query on Query
  @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" })
  @refetchable(queryName: "ConnectionsEmailsPaginationQuery") {
    emails(first: $count, after: $cursor) @connection(key: "connectionsEmails_emails") {
      edges { node { id subject } }
    }
  }
`;

export const emailsBackward = graphql`
  fragment connectionsEmailsBackward_query on Query
  @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" })
  @refetchable(queryName: "ConnectionsEmailsBackwardPaginationQuery") {
    emails(last: $count, before: $cursor) @connection(key: "connectionsEmailsBackward_emails") {
      edges { node { id subject } }
    }
  }
`;

export const events = graphql`
  fragment connectionsEvents_query on Query
  @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" })
  @refetchable(queryName: "ConnectionsEventsPaginationQuery") {
    events(first: $count, after: $cursor) @connection(key: "connectionsEvents_events") {
      edges { node { id title } }
    }
  }
`;

export const files = graphql`
  fragment connectionsFiles_query on Query
  @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" })
  @refetchable(queryName: "ConnectionsFilesPaginationQuery") {
    files(first: $count, after: $cursor) @connection(key: "connectionsFiles_files") {
      edges { node { id name } }
    }
  }
`;

export const conversations = graphql`
  fragment connectionsConversations_query on Query
  @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" })
  @refetchable(queryName: "ConnectionsConversationsPaginationQuery") {
    conversations(first: $count, after: $cursor) @connection(key: "connectionsConversations_conversations") {
      edges { node { id title } }
    }
  }
`;

export const messages = graphql`
  fragment connectionsMessages_conversation on Conversation
  @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" })
  @refetchable(queryName: "ConnectionsMessagesPaginationQuery") {
    messages(last: $count, before: $cursor) @connection(key: "connectionsMessages_messages") {
      edges { node { id query } }
    }
  }
`;
