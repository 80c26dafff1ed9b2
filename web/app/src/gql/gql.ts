/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me { id email displayName timeZone needsReauth googleConnected scopes lastSyncAt }\n  }\n": typeof types.MeDocument,
    "\n  query SyncStatuses {\n    syncStatus { service state lastSyncAt itemCount error updatedAt }\n  }\n": typeof types.SyncStatusesDocument,
    "\n  subscription SyncProgress {\n    syncProgress { service state lastSyncAt itemCount error updatedAt }\n  }\n": typeof types.SyncProgressDocument,
    "\n  mutation SyncNow($service: Service!) {\n    syncNow(service: $service) { service state lastSyncAt itemCount error updatedAt }\n  }\n": typeof types.SyncNowDocument,
    "\n  query Conversations($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges { node { id title updatedAt messageCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ConversationsDocument,
    "\n  fragment ActionFields on Action { id stepId kind service summary status result error }\n": typeof types.ActionFieldsFragmentDoc,
    "\n  fragment StepFields on StepResult {\n    stepId service operation status error reason durationMs\n    items { service kind itemId nodeId title snippet at }\n    actions { ...ActionFields }\n  }\n": typeof types.StepFieldsFragmentDoc,
    "\n  query Conversation($id: ID!, $after: String) {\n    conversation(id: $id) {\n      id title\n      messages(first: 50, after: $after) {\n        edges {\n          node {\n            id query status response error\n            plan { id service operation }\n            stepResults { ...StepFields }\n            actions { ...ActionFields }\n            citations { service itemId title url }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.ConversationDocument,
    "\n  mutation Ask($input: AskInput!) {\n    ask(input: $input) {\n      message { id query status }\n      conversation { id title }\n    }\n  }\n": typeof types.AskDocument,
    "\n  subscription Answer($messageId: ID!) {\n    answer(messageId: $messageId) {\n      type seq status detail stepId token text error messageStatus\n      step { ...StepFields }\n      action { ...ActionFields }\n      citations { service itemId title url }\n    }\n  }\n": typeof types.AnswerDocument,
    "\n  mutation ConfirmAction($messageId: ID!, $actionId: String!) {\n    confirmAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n": typeof types.ConfirmActionDocument,
    "\n  mutation RejectAction($messageId: ID!, $actionId: String!) {\n    rejectAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n": typeof types.RejectActionDocument,
    "\n  mutation CancelAsk($messageId: ID!) {\n    cancelAsk(messageId: $messageId) { message { id status } }\n  }\n": typeof types.CancelAskDocument,
    "\n  query Emails($filter: EmailFilter, $first: Int, $after: String) {\n    emails(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id subject snippet receivedAt unread hasAttachment labels from { name email } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n": typeof types.EmailsDocument,
    "\n  query Events($filter: EventFilter, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id title start end allDay location attendees { email name } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n": typeof types.EventsDocument,
    "\n  query Files($filter: FileFilter, $first: Int, $after: String) {\n    files(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id name mimeType preview modifiedAt owners } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n": typeof types.FilesDocument,
    "\n  query Search($query: String!, $first: Int) {\n    search(query: $query, first: $first) {\n      text\n      filters {\n        services from to labels after before attendees mimeTypes hasAttachment unread\n        sources { field words start end }\n      }\n      hits {\n        score\n        legs { leg rank }\n        item {\n          __typename\n          ... on Email { id subject snippet receivedAt from { name email } }\n          ... on Event { id title start end location }\n          ... on File { id name mimeType modifiedAt preview }\n        }\n      }\n    }\n  }\n": typeof types.SearchDocument,
    "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Email {\n        id subject body receivedAt labels hasAttachment threadId\n        from { name email } to { name email } cc { name email }\n      }\n      ... on Event {\n        id title description location start end allDay timeZone organizer status htmlLink\n        attendees { email name responseStatus organizer }\n      }\n      ... on File {\n        id name mimeType preview owners modifiedAt webViewLink parentFolder trashed\n        properties { key value }\n      }\n    }\n  }\n": typeof types.NodeDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me { id email displayName timeZone needsReauth googleConnected scopes lastSyncAt }\n  }\n": types.MeDocument,
    "\n  query SyncStatuses {\n    syncStatus { service state lastSyncAt itemCount error updatedAt }\n  }\n": types.SyncStatusesDocument,
    "\n  subscription SyncProgress {\n    syncProgress { service state lastSyncAt itemCount error updatedAt }\n  }\n": types.SyncProgressDocument,
    "\n  mutation SyncNow($service: Service!) {\n    syncNow(service: $service) { service state lastSyncAt itemCount error updatedAt }\n  }\n": types.SyncNowDocument,
    "\n  query Conversations($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges { node { id title updatedAt messageCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ConversationsDocument,
    "\n  fragment ActionFields on Action { id stepId kind service summary status result error }\n": types.ActionFieldsFragmentDoc,
    "\n  fragment StepFields on StepResult {\n    stepId service operation status error reason durationMs\n    items { service kind itemId nodeId title snippet at }\n    actions { ...ActionFields }\n  }\n": types.StepFieldsFragmentDoc,
    "\n  query Conversation($id: ID!, $after: String) {\n    conversation(id: $id) {\n      id title\n      messages(first: 50, after: $after) {\n        edges {\n          node {\n            id query status response error\n            plan { id service operation }\n            stepResults { ...StepFields }\n            actions { ...ActionFields }\n            citations { service itemId title url }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.ConversationDocument,
    "\n  mutation Ask($input: AskInput!) {\n    ask(input: $input) {\n      message { id query status }\n      conversation { id title }\n    }\n  }\n": types.AskDocument,
    "\n  subscription Answer($messageId: ID!) {\n    answer(messageId: $messageId) {\n      type seq status detail stepId token text error messageStatus\n      step { ...StepFields }\n      action { ...ActionFields }\n      citations { service itemId title url }\n    }\n  }\n": types.AnswerDocument,
    "\n  mutation ConfirmAction($messageId: ID!, $actionId: String!) {\n    confirmAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n": types.ConfirmActionDocument,
    "\n  mutation RejectAction($messageId: ID!, $actionId: String!) {\n    rejectAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n": types.RejectActionDocument,
    "\n  mutation CancelAsk($messageId: ID!) {\n    cancelAsk(messageId: $messageId) { message { id status } }\n  }\n": types.CancelAskDocument,
    "\n  query Emails($filter: EmailFilter, $first: Int, $after: String) {\n    emails(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id subject snippet receivedAt unread hasAttachment labels from { name email } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n": types.EmailsDocument,
    "\n  query Events($filter: EventFilter, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id title start end allDay location attendees { email name } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n": types.EventsDocument,
    "\n  query Files($filter: FileFilter, $first: Int, $after: String) {\n    files(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id name mimeType preview modifiedAt owners } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n": types.FilesDocument,
    "\n  query Search($query: String!, $first: Int) {\n    search(query: $query, first: $first) {\n      text\n      filters {\n        services from to labels after before attendees mimeTypes hasAttachment unread\n        sources { field words start end }\n      }\n      hits {\n        score\n        legs { leg rank }\n        item {\n          __typename\n          ... on Email { id subject snippet receivedAt from { name email } }\n          ... on Event { id title start end location }\n          ... on File { id name mimeType modifiedAt preview }\n        }\n      }\n    }\n  }\n": types.SearchDocument,
    "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Email {\n        id subject body receivedAt labels hasAttachment threadId\n        from { name email } to { name email } cc { name email }\n      }\n      ... on Event {\n        id title description location start end allDay timeZone organizer status htmlLink\n        attendees { email name responseStatus organizer }\n      }\n      ... on File {\n        id name mimeType preview owners modifiedAt webViewLink parentFolder trashed\n        properties { key value }\n      }\n    }\n  }\n": types.NodeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id email displayName timeZone needsReauth googleConnected scopes lastSyncAt }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SyncStatuses {\n    syncStatus { service state lastSyncAt itemCount error updatedAt }\n  }\n"): typeof import('./graphql').SyncStatusesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SyncProgress {\n    syncProgress { service state lastSyncAt itemCount error updatedAt }\n  }\n"): typeof import('./graphql').SyncProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncNow($service: Service!) {\n    syncNow(service: $service) { service state lastSyncAt itemCount error updatedAt }\n  }\n"): typeof import('./graphql').SyncNowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversations($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges { node { id title updatedAt messageCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').ConversationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActionFields on Action { id stepId kind service summary status result error }\n"): typeof import('./graphql').ActionFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StepFields on StepResult {\n    stepId service operation status error reason durationMs\n    items { service kind itemId nodeId title snippet at }\n    actions { ...ActionFields }\n  }\n"): typeof import('./graphql').StepFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversation($id: ID!, $after: String) {\n    conversation(id: $id) {\n      id title\n      messages(first: 50, after: $after) {\n        edges {\n          node {\n            id query status response error\n            plan { id service operation }\n            stepResults { ...StepFields }\n            actions { ...ActionFields }\n            citations { service itemId title url }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): typeof import('./graphql').ConversationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Ask($input: AskInput!) {\n    ask(input: $input) {\n      message { id query status }\n      conversation { id title }\n    }\n  }\n"): typeof import('./graphql').AskDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Answer($messageId: ID!) {\n    answer(messageId: $messageId) {\n      type seq status detail stepId token text error messageStatus\n      step { ...StepFields }\n      action { ...ActionFields }\n      citations { service itemId title url }\n    }\n  }\n"): typeof import('./graphql').AnswerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmAction($messageId: ID!, $actionId: String!) {\n    confirmAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n"): typeof import('./graphql').ConfirmActionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectAction($messageId: ID!, $actionId: String!) {\n    rejectAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n"): typeof import('./graphql').RejectActionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelAsk($messageId: ID!) {\n    cancelAsk(messageId: $messageId) { message { id status } }\n  }\n"): typeof import('./graphql').CancelAskDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Emails($filter: EmailFilter, $first: Int, $after: String) {\n    emails(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id subject snippet receivedAt unread hasAttachment labels from { name email } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n"): typeof import('./graphql').EmailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Events($filter: EventFilter, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id title start end allDay location attendees { email name } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n"): typeof import('./graphql').EventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Files($filter: FileFilter, $first: Int, $after: String) {\n    files(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id name mimeType preview modifiedAt owners } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n"): typeof import('./graphql').FilesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($query: String!, $first: Int) {\n    search(query: $query, first: $first) {\n      text\n      filters {\n        services from to labels after before attendees mimeTypes hasAttachment unread\n        sources { field words start end }\n      }\n      hits {\n        score\n        legs { leg rank }\n        item {\n          __typename\n          ... on Email { id subject snippet receivedAt from { name email } }\n          ... on Event { id title start end location }\n          ... on File { id name mimeType modifiedAt preview }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Email {\n        id subject body receivedAt labels hasAttachment threadId\n        from { name email } to { name email } cc { name email }\n      }\n      ... on Event {\n        id title description location start end allDay timeZone organizer status htmlLink\n        attendees { email name responseStatus organizer }\n      }\n      ... on File {\n        id name mimeType preview owners modifiedAt webViewLink parentFolder trashed\n        properties { key value }\n      }\n    }\n  }\n"): typeof import('./graphql').NodeDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
