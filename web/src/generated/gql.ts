/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  query Whoami {\n    me {\n      id\n      roles\n      name {\n        firstName\n        lastName\n      }\n    }\n  }\n": typeof types.WhoamiDocument,
    "\n  mutation Logout {\n    logout {\n      errors {\n        message\n      }\n    }\n  }\n": typeof types.LogoutDocument,
    "\n  fragment SignedIn on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    errors {\n      code\n      message\n    }\n  }\n": typeof types.SignedInFragmentDoc,
    "\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      ...SignedIn\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  query UnreadCount {\n    me {\n      id\n      notifications(first: 1) {\n        unreadCount\n      }\n    }\n  }\n": typeof types.UnreadCountDocument,
    "\n  subscription UnreadCountChanged {\n    unreadCountChanged {\n      unreadCount\n    }\n  }\n": typeof types.UnreadCountChangedDocument,
    "\n  query MyAppeals {\n    me {\n      id\n      appeals(first: 50) {\n        totalCount\n        edges {\n          node {\n            ...AppealCard\n          }\n        }\n      }\n    }\n  }\n": typeof types.MyAppealsDocument,
    "\n  fragment AppealCard on Appeal {\n    id\n    number\n    status\n    text\n    address\n    createdAt\n    dueAt\n    topic {\n      id\n      name\n    }\n    authority {\n      id\n      name\n    }\n    answer {\n      text\n      answeredAt\n    }\n  }\n": typeof types.AppealCardFragmentDoc,
    "\n  subscription AppealStatusChanged($after: String) {\n    appealStatusChanged(after: $after) {\n      cursor\n      to\n      appeal {\n        ...AppealCard\n      }\n    }\n  }\n": typeof types.AppealStatusChangedDocument,
    "\n  query Feed($search: String, $category: NotificationCategory, $unreadOnly: Boolean) {\n    me {\n      id\n      notifications(first: 20, search: $search, category: $category, unreadOnly: $unreadOnly) {\n        totalCount\n        unreadCount\n        edges {\n          cursor\n          node {\n            ...FeedItem\n          }\n        }\n      }\n    }\n  }\n": typeof types.FeedDocument,
    "\n  fragment FeedItem on Notification {\n    id\n    category\n    title\n    body\n    createdAt\n    isRead\n    appeal {\n      id\n      number\n      status\n    }\n  }\n": typeof types.FeedItemFragmentDoc,
    "\n  subscription NotificationAdded($after: String) {\n    notificationAdded(after: $after) {\n      cursor\n      node {\n        ...FeedItem\n      }\n    }\n  }\n": typeof types.NotificationAddedDocument,
    "\n  mutation MarkNotificationsRead($input: NotificationIdsInput!) {\n    markNotificationsRead(input: $input) {\n      updatedCount\n      errors {\n        message\n      }\n    }\n  }\n": typeof types.MarkNotificationsReadDocument,
    "\n  mutation MarkNotificationsUnread($input: NotificationIdsInput!) {\n    markNotificationsUnread(input: $input) {\n      updatedCount\n      errors {\n        message\n      }\n    }\n  }\n": typeof types.MarkNotificationsUnreadDocument,
    "\n  query CabinetHome {\n    me {\n      id\n      level\n      phone\n      email\n      snils\n      roles\n      confirmationMethod\n      name {\n        lastName\n        firstName\n        middleName\n      }\n      documents {\n        id\n        type\n        verification {\n          status\n        }\n      }\n      dataCheck {\n        status\n      }\n    }\n  }\n": typeof types.CabinetHomeDocument,
    "\n  query Topics {\n    topics {\n      id\n      name\n      children {\n        id\n        name\n      }\n    }\n  }\n": typeof types.TopicsDocument,
    "\n  query PreviewAppealRouting($input: PreviewAppealRoutingInput!) {\n    previewAppealRouting(input: $input) {\n      routing {\n        reason\n        explanation\n        authority {\n          id\n          name\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.PreviewAppealRoutingDocument,
    "\n  mutation SubmitAppeal($input: AppealInput!) {\n    submitAppeal(input: $input) {\n      appeal {\n        id\n        number\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.SubmitAppealDocument,
    "\n  query AuthorityQueue {\n    me {\n      id\n      officialAuthority {\n        id\n        name\n      }\n    }\n    authorityAppeals(first: 50, statuses: [REGISTERED, REDIRECTED, IN_WORK, CLARIFICATION_REQUESTED]) {\n      totalCount\n      edges {\n        node {\n          ...AppealCard\n        }\n      }\n    }\n  }\n": typeof types.AuthorityQueueDocument,
    "\n  subscription AuthorityQueueChanged($after: String) {\n    authorityQueueChanged(after: $after) {\n      cursor\n      kind\n      appeal {\n        ...AppealCard\n      }\n    }\n  }\n": typeof types.AuthorityQueueChangedDocument,
    "\n  mutation TakeAppealIntoWork($input: AppealIdInput!) {\n    takeAppealIntoWork(input: $input) {\n      appeal {\n        ...AppealCard\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.TakeAppealIntoWorkDocument,
    "\n  mutation AnswerAppeal($input: AppealTextInput!) {\n    answerAppeal(input: $input) {\n      appeal {\n        ...AppealCard\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.AnswerAppealDocument,
    "\n  mutation StartRegistration($input: StartRegistrationInput!) {\n    startRegistration(input: $input) {\n      codeSent {\n        requestId\n        sentTo\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.StartRegistrationDocument,
    "\n  mutation ConfirmRegistrationContact($input: ConfirmCodeInput!) {\n    confirmRegistrationContact(input: $input) {\n      confirmed\n      errors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ConfirmRegistrationContactDocument,
    "\n  mutation CompleteRegistration($input: CompleteRegistrationInput!) {\n    completeRegistration(input: $input) {\n      ...SignedIn\n    }\n  }\n": typeof types.CompleteRegistrationDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      smsCodeSent {\n        requestId\n        sentTo\n        expiresAt\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation ConfirmLogin($input: ConfirmCodeInput!) {\n    confirmLogin(input: $input) {\n      ...SignedIn\n    }\n  }\n": typeof types.ConfirmLoginDocument,
};
const documents: Documents = {
    "\n  query Whoami {\n    me {\n      id\n      roles\n      name {\n        firstName\n        lastName\n      }\n    }\n  }\n": types.WhoamiDocument,
    "\n  mutation Logout {\n    logout {\n      errors {\n        message\n      }\n    }\n  }\n": types.LogoutDocument,
    "\n  fragment SignedIn on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    errors {\n      code\n      message\n    }\n  }\n": types.SignedInFragmentDoc,
    "\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      ...SignedIn\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  query UnreadCount {\n    me {\n      id\n      notifications(first: 1) {\n        unreadCount\n      }\n    }\n  }\n": types.UnreadCountDocument,
    "\n  subscription UnreadCountChanged {\n    unreadCountChanged {\n      unreadCount\n    }\n  }\n": types.UnreadCountChangedDocument,
    "\n  query MyAppeals {\n    me {\n      id\n      appeals(first: 50) {\n        totalCount\n        edges {\n          node {\n            ...AppealCard\n          }\n        }\n      }\n    }\n  }\n": types.MyAppealsDocument,
    "\n  fragment AppealCard on Appeal {\n    id\n    number\n    status\n    text\n    address\n    createdAt\n    dueAt\n    topic {\n      id\n      name\n    }\n    authority {\n      id\n      name\n    }\n    answer {\n      text\n      answeredAt\n    }\n  }\n": types.AppealCardFragmentDoc,
    "\n  subscription AppealStatusChanged($after: String) {\n    appealStatusChanged(after: $after) {\n      cursor\n      to\n      appeal {\n        ...AppealCard\n      }\n    }\n  }\n": types.AppealStatusChangedDocument,
    "\n  query Feed($search: String, $category: NotificationCategory, $unreadOnly: Boolean) {\n    me {\n      id\n      notifications(first: 20, search: $search, category: $category, unreadOnly: $unreadOnly) {\n        totalCount\n        unreadCount\n        edges {\n          cursor\n          node {\n            ...FeedItem\n          }\n        }\n      }\n    }\n  }\n": types.FeedDocument,
    "\n  fragment FeedItem on Notification {\n    id\n    category\n    title\n    body\n    createdAt\n    isRead\n    appeal {\n      id\n      number\n      status\n    }\n  }\n": types.FeedItemFragmentDoc,
    "\n  subscription NotificationAdded($after: String) {\n    notificationAdded(after: $after) {\n      cursor\n      node {\n        ...FeedItem\n      }\n    }\n  }\n": types.NotificationAddedDocument,
    "\n  mutation MarkNotificationsRead($input: NotificationIdsInput!) {\n    markNotificationsRead(input: $input) {\n      updatedCount\n      errors {\n        message\n      }\n    }\n  }\n": types.MarkNotificationsReadDocument,
    "\n  mutation MarkNotificationsUnread($input: NotificationIdsInput!) {\n    markNotificationsUnread(input: $input) {\n      updatedCount\n      errors {\n        message\n      }\n    }\n  }\n": types.MarkNotificationsUnreadDocument,
    "\n  query CabinetHome {\n    me {\n      id\n      level\n      phone\n      email\n      snils\n      roles\n      confirmationMethod\n      name {\n        lastName\n        firstName\n        middleName\n      }\n      documents {\n        id\n        type\n        verification {\n          status\n        }\n      }\n      dataCheck {\n        status\n      }\n    }\n  }\n": types.CabinetHomeDocument,
    "\n  query Topics {\n    topics {\n      id\n      name\n      children {\n        id\n        name\n      }\n    }\n  }\n": types.TopicsDocument,
    "\n  query PreviewAppealRouting($input: PreviewAppealRoutingInput!) {\n    previewAppealRouting(input: $input) {\n      routing {\n        reason\n        explanation\n        authority {\n          id\n          name\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.PreviewAppealRoutingDocument,
    "\n  mutation SubmitAppeal($input: AppealInput!) {\n    submitAppeal(input: $input) {\n      appeal {\n        id\n        number\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.SubmitAppealDocument,
    "\n  query AuthorityQueue {\n    me {\n      id\n      officialAuthority {\n        id\n        name\n      }\n    }\n    authorityAppeals(first: 50, statuses: [REGISTERED, REDIRECTED, IN_WORK, CLARIFICATION_REQUESTED]) {\n      totalCount\n      edges {\n        node {\n          ...AppealCard\n        }\n      }\n    }\n  }\n": types.AuthorityQueueDocument,
    "\n  subscription AuthorityQueueChanged($after: String) {\n    authorityQueueChanged(after: $after) {\n      cursor\n      kind\n      appeal {\n        ...AppealCard\n      }\n    }\n  }\n": types.AuthorityQueueChangedDocument,
    "\n  mutation TakeAppealIntoWork($input: AppealIdInput!) {\n    takeAppealIntoWork(input: $input) {\n      appeal {\n        ...AppealCard\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": types.TakeAppealIntoWorkDocument,
    "\n  mutation AnswerAppeal($input: AppealTextInput!) {\n    answerAppeal(input: $input) {\n      appeal {\n        ...AppealCard\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": types.AnswerAppealDocument,
    "\n  mutation StartRegistration($input: StartRegistrationInput!) {\n    startRegistration(input: $input) {\n      codeSent {\n        requestId\n        sentTo\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": types.StartRegistrationDocument,
    "\n  mutation ConfirmRegistrationContact($input: ConfirmCodeInput!) {\n    confirmRegistrationContact(input: $input) {\n      confirmed\n      errors {\n        code\n        message\n      }\n    }\n  }\n": types.ConfirmRegistrationContactDocument,
    "\n  mutation CompleteRegistration($input: CompleteRegistrationInput!) {\n    completeRegistration(input: $input) {\n      ...SignedIn\n    }\n  }\n": types.CompleteRegistrationDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      smsCodeSent {\n        requestId\n        sentTo\n        expiresAt\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation ConfirmLogin($input: ConfirmCodeInput!) {\n    confirmLogin(input: $input) {\n      ...SignedIn\n    }\n  }\n": types.ConfirmLoginDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Whoami {\n    me {\n      id\n      roles\n      name {\n        firstName\n        lastName\n      }\n    }\n  }\n"): (typeof documents)["\n  query Whoami {\n    me {\n      id\n      roles\n      name {\n        firstName\n        lastName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout {\n      errors {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout {\n      errors {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SignedIn on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    errors {\n      code\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment SignedIn on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    errors {\n      code\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      ...SignedIn\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      ...SignedIn\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnreadCount {\n    me {\n      id\n      notifications(first: 1) {\n        unreadCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query UnreadCount {\n    me {\n      id\n      notifications(first: 1) {\n        unreadCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription UnreadCountChanged {\n    unreadCountChanged {\n      unreadCount\n    }\n  }\n"): (typeof documents)["\n  subscription UnreadCountChanged {\n    unreadCountChanged {\n      unreadCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyAppeals {\n    me {\n      id\n      appeals(first: 50) {\n        totalCount\n        edges {\n          node {\n            ...AppealCard\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyAppeals {\n    me {\n      id\n      appeals(first: 50) {\n        totalCount\n        edges {\n          node {\n            ...AppealCard\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AppealCard on Appeal {\n    id\n    number\n    status\n    text\n    address\n    createdAt\n    dueAt\n    topic {\n      id\n      name\n    }\n    authority {\n      id\n      name\n    }\n    answer {\n      text\n      answeredAt\n    }\n  }\n"): (typeof documents)["\n  fragment AppealCard on Appeal {\n    id\n    number\n    status\n    text\n    address\n    createdAt\n    dueAt\n    topic {\n      id\n      name\n    }\n    authority {\n      id\n      name\n    }\n    answer {\n      text\n      answeredAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppealStatusChanged($after: String) {\n    appealStatusChanged(after: $after) {\n      cursor\n      to\n      appeal {\n        ...AppealCard\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription AppealStatusChanged($after: String) {\n    appealStatusChanged(after: $after) {\n      cursor\n      to\n      appeal {\n        ...AppealCard\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Feed($search: String, $category: NotificationCategory, $unreadOnly: Boolean) {\n    me {\n      id\n      notifications(first: 20, search: $search, category: $category, unreadOnly: $unreadOnly) {\n        totalCount\n        unreadCount\n        edges {\n          cursor\n          node {\n            ...FeedItem\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Feed($search: String, $category: NotificationCategory, $unreadOnly: Boolean) {\n    me {\n      id\n      notifications(first: 20, search: $search, category: $category, unreadOnly: $unreadOnly) {\n        totalCount\n        unreadCount\n        edges {\n          cursor\n          node {\n            ...FeedItem\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment FeedItem on Notification {\n    id\n    category\n    title\n    body\n    createdAt\n    isRead\n    appeal {\n      id\n      number\n      status\n    }\n  }\n"): (typeof documents)["\n  fragment FeedItem on Notification {\n    id\n    category\n    title\n    body\n    createdAt\n    isRead\n    appeal {\n      id\n      number\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NotificationAdded($after: String) {\n    notificationAdded(after: $after) {\n      cursor\n      node {\n        ...FeedItem\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription NotificationAdded($after: String) {\n    notificationAdded(after: $after) {\n      cursor\n      node {\n        ...FeedItem\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkNotificationsRead($input: NotificationIdsInput!) {\n    markNotificationsRead(input: $input) {\n      updatedCount\n      errors {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MarkNotificationsRead($input: NotificationIdsInput!) {\n    markNotificationsRead(input: $input) {\n      updatedCount\n      errors {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkNotificationsUnread($input: NotificationIdsInput!) {\n    markNotificationsUnread(input: $input) {\n      updatedCount\n      errors {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MarkNotificationsUnread($input: NotificationIdsInput!) {\n    markNotificationsUnread(input: $input) {\n      updatedCount\n      errors {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CabinetHome {\n    me {\n      id\n      level\n      phone\n      email\n      snils\n      roles\n      confirmationMethod\n      name {\n        lastName\n        firstName\n        middleName\n      }\n      documents {\n        id\n        type\n        verification {\n          status\n        }\n      }\n      dataCheck {\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  query CabinetHome {\n    me {\n      id\n      level\n      phone\n      email\n      snils\n      roles\n      confirmationMethod\n      name {\n        lastName\n        firstName\n        middleName\n      }\n      documents {\n        id\n        type\n        verification {\n          status\n        }\n      }\n      dataCheck {\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Topics {\n    topics {\n      id\n      name\n      children {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query Topics {\n    topics {\n      id\n      name\n      children {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewAppealRouting($input: PreviewAppealRoutingInput!) {\n    previewAppealRouting(input: $input) {\n      routing {\n        reason\n        explanation\n        authority {\n          id\n          name\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  query PreviewAppealRouting($input: PreviewAppealRoutingInput!) {\n    previewAppealRouting(input: $input) {\n      routing {\n        reason\n        explanation\n        authority {\n          id\n          name\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitAppeal($input: AppealInput!) {\n    submitAppeal(input: $input) {\n      appeal {\n        id\n        number\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SubmitAppeal($input: AppealInput!) {\n    submitAppeal(input: $input) {\n      appeal {\n        id\n        number\n        status\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthorityQueue {\n    me {\n      id\n      officialAuthority {\n        id\n        name\n      }\n    }\n    authorityAppeals(first: 50, statuses: [REGISTERED, REDIRECTED, IN_WORK, CLARIFICATION_REQUESTED]) {\n      totalCount\n      edges {\n        node {\n          ...AppealCard\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuthorityQueue {\n    me {\n      id\n      officialAuthority {\n        id\n        name\n      }\n    }\n    authorityAppeals(first: 50, statuses: [REGISTERED, REDIRECTED, IN_WORK, CLARIFICATION_REQUESTED]) {\n      totalCount\n      edges {\n        node {\n          ...AppealCard\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuthorityQueueChanged($after: String) {\n    authorityQueueChanged(after: $after) {\n      cursor\n      kind\n      appeal {\n        ...AppealCard\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription AuthorityQueueChanged($after: String) {\n    authorityQueueChanged(after: $after) {\n      cursor\n      kind\n      appeal {\n        ...AppealCard\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TakeAppealIntoWork($input: AppealIdInput!) {\n    takeAppealIntoWork(input: $input) {\n      appeal {\n        ...AppealCard\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TakeAppealIntoWork($input: AppealIdInput!) {\n    takeAppealIntoWork(input: $input) {\n      appeal {\n        ...AppealCard\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AnswerAppeal($input: AppealTextInput!) {\n    answerAppeal(input: $input) {\n      appeal {\n        ...AppealCard\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AnswerAppeal($input: AppealTextInput!) {\n    answerAppeal(input: $input) {\n      appeal {\n        ...AppealCard\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartRegistration($input: StartRegistrationInput!) {\n    startRegistration(input: $input) {\n      codeSent {\n        requestId\n        sentTo\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StartRegistration($input: StartRegistrationInput!) {\n    startRegistration(input: $input) {\n      codeSent {\n        requestId\n        sentTo\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmRegistrationContact($input: ConfirmCodeInput!) {\n    confirmRegistrationContact(input: $input) {\n      confirmed\n      errors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmRegistrationContact($input: ConfirmCodeInput!) {\n    confirmRegistrationContact(input: $input) {\n      confirmed\n      errors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteRegistration($input: CompleteRegistrationInput!) {\n    completeRegistration(input: $input) {\n      ...SignedIn\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteRegistration($input: CompleteRegistrationInput!) {\n    completeRegistration(input: $input) {\n      ...SignedIn\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      smsCodeSent {\n        requestId\n        sentTo\n        expiresAt\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n      smsCodeSent {\n        requestId\n        sentTo\n        expiresAt\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmLogin($input: ConfirmCodeInput!) {\n    confirmLogin(input: $input) {\n      ...SignedIn\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmLogin($input: ConfirmCodeInput!) {\n    confirmLogin(input: $input) {\n      ...SignedIn\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;