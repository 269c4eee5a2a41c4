/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date in ISO 8601 without time, e.g. `1985-04-12`. */
  Date: { input: string; output: string; }
  /** A moment in time in ISO 8601 with an offset, e.g. `2026-11-25T09:51:44.000Z`. */
  DateTime: { input: string; output: string; }
  join__DirectiveArguments: { input: any; output: any; }
  join__FieldSet: { input: any; output: any; }
  join__FieldValue: { input: any; output: any; }
  link__Import: { input: any; output: any; }
  requiresScopes__Scope: { input: any; output: any; }
};

/** Account level (уровень учётной записи). Each level opens more services than the one below. */
export type AccountLevel =
  /** Confirmed (подтверждённая): identity confirmed; every service, appeals included. */
  | 'CONFIRMED'
  /** Simplified (упрощённая): reference information, fines and debts look-up. */
  | 'SIMPLIFIED'
  /** Standard (стандартная): SNILS and passport checked by the state registers; basic services. */
  | 'STANDARD';

/** A postal address. */
export type AddressInput = {
  /** Building. */
  building?: InputMaybe<Scalars['String']['input']>;
  /** Flat. */
  flat?: InputMaybe<Scalars['String']['input']>;
  /** House. */
  house: Scalars['String']['input'];
  /** Municipality or city. */
  municipality?: InputMaybe<Scalars['String']['input']>;
  /** Postcode, 6 digits. */
  postcode: Scalars['String']['input'];
  /** Region. */
  region: Scalars['String']['input'];
  /** Street. */
  street?: InputMaybe<Scalars['String']['input']>;
};

/** Who made a change of an appeal, by role. */
export type AppealActor =
  /** The appeal's author. */
  | 'CITIZEN'
  /** An official of the authority that has the appeal. */
  | 'OFFICIAL'
  /** The platform itself. */
  | 'SYSTEM';

/** The period (and region) of analytics. */
export type AppealAnalyticsInput = {
  /** From this date (registration date, inclusive). */
  from: Scalars['Date']['input'];
  /** Only this region. */
  regionCode?: InputMaybe<Scalars['String']['input']>;
  /** To this date (inclusive). */
  to: Scalars['Date']['input'];
  /** How many top problems per municipality: 1 to 10. */
  topPerMunicipality?: InputMaybe<Scalars['Int']['input']>;
};

/** A draft: every field may still be missing. */
export type AppealDraftInput = {
  /** Address. */
  address?: InputMaybe<Scalars['String']['input']>;
  /** Attached files. */
  attachments?: InputMaybe<Array<AttachmentInput>>;
  /** Complaint details. */
  complaint?: InputMaybe<ComplaintInput>;
  /** The draft to update; leave out for a new one. */
  draftId?: InputMaybe<Scalars['ID']['input']>;
  /** Appeal or pre-trial complaint. */
  kind?: InputMaybe<AppealKind>;
  /** A point on the map. */
  location?: InputMaybe<GeoPointInput>;
  /** Municipality. */
  municipality?: InputMaybe<Scalars['String']['input']>;
  /** Region code. */
  regionCode?: InputMaybe<Scalars['String']['input']>;
  /** The text so far. */
  text?: InputMaybe<Scalars['String']['input']>;
  /** The topic. */
  topicId?: InputMaybe<Scalars['ID']['input']>;
};

/** An appeal by id. */
export type AppealIdInput = {
  /** The appeal. */
  appealId: Scalars['ID']['input'];
};

/** An appeal to send, or a draft to send. */
export type AppealInput = {
  /** Address of the place. */
  address?: InputMaybe<Scalars['String']['input']>;
  /** Attached files: at most 5, each up to 10 MB, images, PDF or office documents. */
  attachments?: InputMaybe<Array<AttachmentInput>>;
  /** For a pre-trial complaint: what it is about. */
  complaint?: InputMaybe<ComplaintInput>;
  /** A draft to send; the fields below then replace the draft's. */
  draftId?: InputMaybe<Scalars['ID']['input']>;
  /** Appeal (default) or pre-trial complaint. */
  kind?: InputMaybe<AppealKind>;
  /** A point on the map. */
  location?: InputMaybe<GeoPointInput>;
  /** Municipality of the place. */
  municipality?: InputMaybe<Scalars['String']['input']>;
  /** Region code of the place. */
  regionCode: Scalars['String']['input'];
  /** The text: 10 to 5,000 characters. */
  text: Scalars['String']['input'];
  /** The topic (a subtopic of the rubricator where there is one). */
  topicId: Scalars['ID']['input'];
};

/** Kinds of appeal. */
export type AppealKind =
  /** A message or appeal of a citizen (сообщение, обращение), 59-FZ. */
  | 'APPEAL'
  /** A pre-trial complaint about a state service or an official's decision (досудебная жалоба), 210-FZ. */
  | 'COMPLAINT';

/** What chose the authority of an appeal. */
export type AppealRoutingReason =
  /** The topic's rule for the appeal's municipality: the local body (administration, district council) or organisation of that place answers. */
  | 'MUNICIPALITY_RULE'
  /** An official of the authority that had the appeal redirected it to the competent one (перенаправлено по компетенции). */
  | 'REDIRECTED'
  /**
   * The topic goes to the municipalities' bodies, but the appeal names no municipality, or one
   * without a rule of its own: the body responsible for the topic in the whole region answers, and may
   * redirect it.
   */
  | 'REGION_FALLBACK'
  /** The topic's rule for the whole region: one regional body or organisation answers it wherever the place is. */
  | 'REGION_RULE';

/** Statuses of an appeal (статусы обращения). */
export type AppealStatus =
  /** Answered (дан ответ). */
  | 'ANSWERED'
  /** Clarification requested (запрошено уточнение): the official waits for the citizen. */
  | 'CLARIFICATION_REQUESTED'
  /** Closed (закрыто): the citizen rated the answer. */
  | 'CLOSED'
  /** Draft (черновик): kept by the citizen, not sent. */
  | 'DRAFT'
  /** In work (в работе): an official is working on it. */
  | 'IN_WORK'
  /** Redirected (перенаправлено) to the competent authority, which has it now. */
  | 'REDIRECTED'
  /** Registered (зарегистрировано): received and given a number. */
  | 'REGISTERED'
  /** Rejected with a reason (отклонено). */
  | 'REJECTED';

/** An appeal and some words for it. */
export type AppealTextInput = {
  /** The appeal. */
  appealId: Scalars['ID']['input'];
  /** The text: a reply, a question, an answer or a reason. */
  text: Scalars['String']['input'];
};

/** An attached file. */
export type AttachmentInput = {
  /** MIME type. */
  mimeType: Scalars['String']['input'];
  /** File name. */
  name: Scalars['String']['input'];
  /** Size in bytes. */
  size: Scalars['Int']['input'];
};

/** How a session was opened. */
export type AuthMethod =
  /** Login and password. */
  | 'PASSWORD'
  /** Login, password and an SMS code. */
  | 'PASSWORD_AND_SMS'
  /** The mobile app's PIN. */
  | 'PIN';

/** Kinds of bodies that answer appeals. */
export type AuthorityKind =
  /** A local self-government body (орган местного самоуправления). */
  | 'LOCAL_SELF_GOVERNMENT'
  /** Another organisation, such as a utility company (иная организация). */
  | 'OTHER_ORGANISATION'
  /** A regional executive body (региональный орган исполнительной власти). */
  | 'REGIONAL_EXECUTIVE';

/** What a change is to an authority's queue. */
export type AuthorityQueueChangeKind =
  /** A new appeal routed to the authority. */
  | 'NEW'
  /** An appeal of the queue went past its due date unanswered. */
  | 'OVERDUE'
  /** Another authority redirected an appeal to this one. */
  | 'REASSIGNED_IN'
  /** This authority redirected an appeal to another one. */
  | 'REASSIGNED_OUT'
  /** An appeal of the queue changed status. */
  | 'STATUS_CHANGED';

/** Whose a cached value is. */
export type CacheControlScope =
  /** The caller's own: kept apart per caller. */
  | 'PRIVATE'
  /** The same for every caller. */
  | 'PUBLIC';

/** Input of `changePassword`. */
export type ChangePasswordInput = {
  /** Whether to end every other session (recommended after a password change). */
  endOtherSessions?: InputMaybe<Scalars['Boolean']['input']>;
  /** The new password. */
  newPassword: Scalars['String']['input'];
  /** The new password again. */
  newPasswordConfirmation: Scalars['String']['input'];
  /** The current password. */
  oldPassword: Scalars['String']['input'];
};

/** A child to save. */
export type ChildInput = {
  /** Birth certificate. */
  birthCertificate?: InputMaybe<IssuedDocumentInput>;
  /** Date of birth. */
  birthDate: Scalars['Date']['input'];
  /** The child to change; leave out to add one. */
  childId?: InputMaybe<Scalars['ID']['input']>;
  /** First name. */
  firstName: Scalars['String']['input'];
  /** Last name. */
  lastName: Scalars['String']['input'];
  /** Middle name. */
  middleName?: InputMaybe<Scalars['String']['input']>;
  /** ОМС policy number. */
  omsPolicy?: InputMaybe<Scalars['String']['input']>;
  /** Sex. */
  sex: Sex;
  /** SNILS. */
  snils?: InputMaybe<Scalars['String']['input']>;
};

/** Channels for one-time codes. */
export type CodeChannel =
  /** A link by e-mail. */
  | 'EMAIL'
  /** A six-digit code by SMS. */
  | 'SMS';

/** Grounds of a pre-trial complaint (210-FZ art. 11.1), as far as they change the deadline. */
export type ComplaintGround =
  /** Any other ground: 15 working days. */
  | 'OTHER'
  /** Refusal to accept documents: answered within 5 working days. */
  | 'REFUSAL_TO_ACCEPT_DOCUMENTS'
  /** Mistakes in issued documents not corrected, or corrected late: 5 working days. */
  | 'UNCORRECTED_ERRORS';

/** What a pre-trial complaint is about. */
export type ComplaintInput = {
  /** The date of the decision or action. */
  decisionDate?: InputMaybe<Scalars['Date']['input']>;
  /** The ground. */
  ground: ComplaintGround;
  /** The state service concerned. */
  serviceName: Scalars['String']['input'];
  /** Service or official's decision. */
  subject: ComplaintSubject;
};

/** What a pre-trial complaint is about. */
export type ComplaintSubject =
  /** A decision or action of an official. */
  | 'OFFICIAL_DECISION'
  /** How a state service was provided. */
  | 'SERVICE';

/** Input of `completePasswordRecovery`. */
export type CompletePasswordRecoveryInput = {
  /** The SMS code or the token from the e-mail link. */
  code: Scalars['String']['input'];
  /** The new password. */
  newPassword: Scalars['String']['input'];
  /** The new password again. */
  newPasswordConfirmation: Scalars['String']['input'];
  /** The recovery request. */
  requestId: Scalars['ID']['input'];
};

/** Input of `completeRegistration`. */
export type CompleteRegistrationInput = {
  /** The password: at least 8 characters, Latin letters, digits and punctuation, with a lower-case and an upper-case letter and a digit. */
  password: Scalars['String']['input'];
  /** The same password again. */
  passwordConfirmation: Scalars['String']['input'];
  /** The registration request whose contact was confirmed. */
  requestId: Scalars['ID']['input'];
};

/** A code (or e-mail link token) answering an earlier request. */
export type ConfirmCodeInput = {
  /** The code from the SMS or letter, or the token from the e-mail link. */
  code: Scalars['String']['input'];
  /** The request id the code was sent for (`codeSent.requestId`). */
  requestId: Scalars['ID']['input'];
};

/** Input of `confirmIdentityInPerson`. */
export type ConfirmIdentityInPersonInput = {
  /** Number of the passport shown (6 digits). */
  passportNumber: Scalars['String']['input'];
  /** Series of the passport shown (4 digits). */
  passportSeries: Scalars['String']['input'];
  /** The person's account. */
  userId: Scalars['ID']['input'];
};

/** Input of `confirmIdentityWithLetterCode`. */
export type ConfirmIdentityWithLetterCodeInput = {
  /** The code printed in the letter. */
  code: Scalars['String']['input'];
};

/** Input of `confirmIdentityWithSignature`. */
export type ConfirmIdentityWithSignatureInput = {
  /** The signer's certificate, PEM. */
  certificate: Scalars['String']['input'];
  /** The challenge from `startSignatureConfirmation`. */
  challengeId: Scalars['ID']['input'];
  /** Certificates of intermediate certification authorities, PEM. */
  intermediates?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The signature over the challenge's UTF-8 bytes, base64. */
  signature: Scalars['String']['input'];
};

/** Where a data check stands. */
export type DataCheckStatus =
  /** A newer check replaced it. */
  | 'CANCELLED'
  /** A register did not confirm the data; see `failureReason`. */
  | 'FAILED'
  /** Waiting for the registers' answers; the checked data are locked. */
  | 'RUNNING'
  /** The registers confirmed the data (проверено). */
  | 'SUCCEEDED';

/** Input of `deleteAccount`. */
export type DeleteAccountInput = {
  /** The account's password. */
  password: Scalars['String']['input'];
};

/** Where a channel delivery stands. */
export type DeliveryStatus =
  /** Given up after repeated failures. */
  | 'FAILED'
  /** To be sent now. */
  | 'PENDING'
  /** Waiting for the person's delivery window. */
  | 'SCHEDULED'
  /** Sent. */
  | 'SENT';

/** A delivery window. */
export type DeliveryWindowInput = {
  /** End, `HH:MM`. */
  endsAt: Scalars['String']['input'];
  /** Start, `HH:MM`. */
  startsAt: Scalars['String']['input'];
  /** IANA time zone, e.g. `Europe/Moscow`. */
  timeZone: Scalars['String']['input'];
};

/** The kinds of document a profile holds. */
export type DocumentType =
  /** Birth certificate (свидетельство о рождении). */
  | 'BIRTH_CERTIFICATE'
  /** Driver licence (водительское удостоверение). */
  | 'DRIVER_LICENCE'
  /** Passport for travel abroad (заграничный паспорт). */
  | 'FOREIGN_PASSPORT'
  /** Taxpayer number of a person (ИНН), 12 digits. */
  | 'INN'
  /** Military ID (военный билет). */
  | 'MILITARY_ID'
  /** Compulsory medical insurance policy (полис ОМС). */
  | 'OMS_POLICY'
  /** Passport of the Russian Federation (паспорт гражданина РФ). */
  | 'RUSSIAN_PASSPORT'
  /** Individual insurance account number (СНИЛС). */
  | 'SNILS';

/** Driver licence. */
export type DriverLicenceInput = {
  /** Categories. */
  categories: Array<DrivingCategory>;
  /** Valid until. */
  expiresOn: Scalars['Date']['input'];
  /** Date of issue. */
  issuedOn: Scalars['Date']['input'];
  /** Number, 6 digits. */
  number: Scalars['String']['input'];
  /** Series, 4 characters. */
  series: Scalars['String']['input'];
};

/** Driving licence categories (категории ТС). */
export type DrivingCategory =
  /** Motorcycles. */
  | 'A'
  /** Light motorcycles. */
  | 'A1'
  /** Cars up to 3.5 t. */
  | 'B'
  /** Tricycles and quadricycles. */
  | 'B1'
  /** Cars with a heavy trailer. */
  | 'BE'
  /** Lorries. */
  | 'C'
  /** Light lorries (3.5–7.5 t). */
  | 'C1'
  /** Light lorries with a trailer. */
  | 'C1E'
  /** Lorries with a trailer. */
  | 'CE'
  /** Buses. */
  | 'D'
  /** Minibuses. */
  | 'D1'
  /** Minibuses with a trailer. */
  | 'D1E'
  /** Buses with a trailer. */
  | 'DE'
  /** Mopeds and light quadricycles. */
  | 'M'
  /** Trolleybuses (Tb). */
  | 'TB'
  /** Trams (Tm). */
  | 'TM';

/** Input of `extendAppealDueDate`. */
export type ExtendAppealDueDateInput = {
  /** The appeal. */
  appealId: Scalars['ID']['input'];
  /** By how many days: 1 to 30. */
  days: Scalars['Int']['input'];
  /** Why, for the citizen. */
  reason: Scalars['String']['input'];
};

/** Foreign passport. */
export type ForeignPassportInput = {
  /** Valid until. */
  expiresOn: Scalars['Date']['input'];
  /** Issuing authority. */
  issuedBy: Scalars['String']['input'];
  /** Date of issue. */
  issuedOn: Scalars['Date']['input'];
  /** Number, 7 digits. */
  number: Scalars['String']['input'];
  /** Series, 2 digits. */
  series: Scalars['String']['input'];
};

/** A point on the map. */
export type GeoPointInput = {
  /** Latitude, −90 to 90. */
  latitude: Scalars['Float']['input'];
  /** Longitude, −180 to 180. */
  longitude: Scalars['Float']['input'];
};

/** How an identity was confirmed (способ подтверждения личности). */
export type IdentityConfirmationMethod =
  /** By an online bank that knows the customer. */
  | 'BANK'
  /** With a qualified electronic signature (квалифицированная электронная подпись). */
  | 'ELECTRONIC_SIGNATURE'
  /** In person at a service centre (МФЦ, bank, Rostelecom office). */
  | 'IN_PERSON'
  /** With the code from a registered letter (код подтверждения по почте). */
  | 'POSTAL_CODE';

/** Input of `issueTemporaryPassword`. */
export type IssueTemporaryPasswordInput = {
  /** The person's account. */
  userId: Scalars['ID']['input'];
};

/** A document with series, number, issue date and issuer (military ID, birth certificate). */
export type IssuedDocumentInput = {
  /** Issuing authority. */
  issuedBy: Scalars['String']['input'];
  /** Date of issue. */
  issuedOn: Scalars['Date']['input'];
  /** Number. */
  number: Scalars['String']['input'];
  /** Series. */
  series: Scalars['String']['input'];
};

/** Channels for one kind. */
export type KindPreferenceInput = {
  /** The channels; empty means the feed only. */
  channels: Array<NotificationChannel>;
  /** The kind (SECURITY cannot be switched off entirely: at least one channel stays). */
  kind: NotificationKind;
};

/** Credentials for `login`. */
export type LoginInput = {
  /** A name for this device in the list of sessions, e.g. `iPhone Анны`. */
  deviceName?: InputMaybe<Scalars['String']['input']>;
  /** Mobile phone (any common Russian format: `+7 916 000-00-01`, `89160000001`, the demo citizen's; docs/api.md), e-mail or SNILS. */
  login: Scalars['String']['input'];
  /** The account's password. */
  password: Scalars['String']['input'];
};

/** Input of `loginWithPin`. */
export type LoginWithPinInput = {
  /** The app installation's own id. */
  deviceId: Scalars['String']['input'];
  /** The four-digit PIN. */
  pin: Scalars['String']['input'];
};

/** Input of `markAllNotificationsRead`. */
export type MarkAllNotificationsReadInput = {
  /** Only this category. */
  category?: InputMaybe<NotificationCategory>;
};

/** Feed categories (категории ленты). */
export type NotificationCategory =
  /** Account and security: logins, password and level changes. */
  | 'ACCOUNT'
  /** Appeal (Обращение): statuses and answers of appeals to authorities. */
  | 'APPEAL'
  /** Application (Заявление): an application for a service and its stages. */
  | 'APPLICATION'
  /** Appointment (Запись на приём). */
  | 'APPOINTMENT'
  /** Draft (Черновик): an application saved but not sent. */
  | 'DRAFT'
  /** Government mail (Госпочта): a letter from an authority. */
  | 'GOVERNMENT_MAIL'
  /** Payment (Платёж): a charge, fine or receipt. */
  | 'PAYMENT'
  /** Support (Техподдержка): a support ticket. */
  | 'SUPPORT';

/** Channels outside the portal (каналы уведомлений). */
export type NotificationChannel =
  /** E-mail. */
  | 'EMAIL'
  /** Push to the portal's mobile app; when no device is registered, SMS or e-mail instead. */
  | 'PUSH'
  /** SMS to the mobile phone. */
  | 'SMS';

/** Feed items to change. */
export type NotificationIdsInput = {
  /** The items, at most 100. */
  ids: Array<Scalars['ID']['input']>;
};

/** Kinds of notification a person chooses channels for (виды уведомлений). */
export type NotificationKind =
  /** Debts, fines and penalties (задолженности, штрафы, пени). */
  | 'DEBTS_AND_FINES'
  /** Everything else (прочие): appeals, appointments, government mail, support. */
  | 'OTHER'
  /** Changes of the portal (изменения на портале). */
  | 'PORTAL_CHANGES'
  /** Security of the account: sign-ins, password changes. Always sent, whatever the window. */
  | 'SECURITY'
  /** Progress of service applications (ход оказания услуг). */
  | 'SERVICE_STAGES';

/** A document that is a number only (SNILS, INN, ОМС policy). */
export type NumberDocumentInput = {
  /** The number, as printed (spaces and hyphens are fine). */
  number: Scalars['String']['input'];
};

/** Input of `orderConfirmationLetter`. */
export type OrderConfirmationLetterInput = {
  /** Full postal address with the 6-digit postcode. */
  postalAddress: Scalars['String']['input'];
  /** Whom to address the letter to, as on the envelope. */
  recipientName: Scalars['String']['input'];
};

/** Personal data to save as a whole. */
export type PersonalDataInput = {
  /** Actual address. */
  actualAddress?: InputMaybe<AddressInput>;
  /** Date of birth. */
  birthDate?: InputMaybe<Scalars['Date']['input']>;
  /** Place of birth as in the passport. */
  birthPlace?: InputMaybe<Scalars['String']['input']>;
  /** Citizenship, ISO 3166-1 alpha-3 (`RUS`). */
  citizenship?: InputMaybe<Scalars['String']['input']>;
  /** First name. */
  firstName: Scalars['String']['input'];
  /** Last name. */
  lastName: Scalars['String']['input'];
  /** Middle name, if the person has one. */
  middleName?: InputMaybe<Scalars['String']['input']>;
  /** Registration address. */
  registrationAddress?: InputMaybe<AddressInput>;
  /** Sex. */
  sex?: InputMaybe<Sex>;
};

/** A feed item posted by a trusted portal service. */
export type PostNotificationInput = {
  /** For a payment: the amount, a decimal string (`500.00`). */
  amount?: InputMaybe<Scalars['String']['input']>;
  /** Text, in Russian, up to 4000 characters. */
  body: Scalars['String']['input'];
  /** The category (not ACCOUNT or APPEAL: those come from identity and appeals). */
  category: NotificationCategory;
  /** For a payment: ISO 4217 currency; `RUB` when left out. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** A deadline: a due date, an appointment. */
  dueAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** The kind, for the person's preferences. */
  kind: NotificationKind;
  /** Where the front end shows the subject. */
  link?: InputMaybe<Scalars['String']['input']>;
  /** The service's own id of the item, so a repeated post makes one item. */
  sourceId: Scalars['String']['input'];
  /** For an application: its stage. */
  stage?: InputMaybe<Scalars['String']['input']>;
  /** Headline, in Russian, up to 200 characters. */
  title: Scalars['String']['input'];
  /** The person. */
  userId: Scalars['ID']['input'];
};

/** Input of `previewAppealRouting`: the fields of `AppealInput` that decide where an appeal goes, and the place. */
export type PreviewAppealRoutingInput = {
  /** Address of the place, checked as `submitAppeal` checks it (routing goes by the municipality). */
  address?: InputMaybe<Scalars['String']['input']>;
  /** A point on the map, checked as `submitAppeal` checks it. */
  location?: InputMaybe<GeoPointInput>;
  /** Municipality of the place, e.g. `городской округ Химки`. */
  municipality?: InputMaybe<Scalars['String']['input']>;
  /** Region code of the place, e.g. `50`. */
  regionCode: Scalars['String']['input'];
  /** The topic, e.g. `yards.lighting`. */
  topicId: Scalars['ID']['input'];
};

/** Mobile platforms for push. */
export type PushPlatform =
  /** Android (FCM or RuStore). */
  | 'ANDROID'
  /** iOS (APNs). */
  | 'IOS';

/** Input of `rateAppealAnswer`. */
export type RateAppealAnswerInput = {
  /** The appeal. */
  appealId: Scalars['ID']['input'];
  /** A comment. */
  comment?: InputMaybe<Scalars['String']['input']>;
  /** With a score of 1 or 2: send the appeal back to work (once). */
  reopen?: InputMaybe<Scalars['Boolean']['input']>;
  /** 1 (bad) to 5 (good). */
  score: Scalars['Int']['input'];
};

/** Input of `redirectAppeal`. */
export type RedirectAppealInput = {
  /** The appeal. */
  appealId: Scalars['ID']['input'];
  /** The competent authority. */
  authorityId: Scalars['ID']['input'];
  /** Why, for the citizen. */
  reason: Scalars['String']['input'];
};

/** Input of `refreshSession`. */
export type RefreshSessionInput = {
  /** The latest refresh token of the session. */
  refreshToken: Scalars['String']['input'];
};

/** Input of `registerPushDevice`. */
export type RegisterPushDeviceInput = {
  /** A name for the device. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** The app's platform. */
  platform: PushPlatform;
  /** The push token the platform gave the app. */
  token: Scalars['String']['input'];
};

/** Input of `removeChild`. */
export type RemoveChildInput = {
  /** The child. */
  childId: Scalars['ID']['input'];
};

/** Input of `removeDocument`. */
export type RemoveDocumentInput = {
  /** The document. */
  documentId: Scalars['ID']['input'];
};

/** Input of `removePushDevice`. */
export type RemovePushDeviceInput = {
  /** The device. */
  deviceId: Scalars['ID']['input'];
};

/** Input of `removeVehicle`. */
export type RemoveVehicleInput = {
  /** The vehicle. */
  vehicleId: Scalars['ID']['input'];
};

/** Input of `replaceTemporaryPassword`. */
export type ReplaceTemporaryPasswordInput = {
  /** Phone, e-mail or SNILS of the account. */
  login: Scalars['String']['input'];
  /** The new password. */
  newPassword: Scalars['String']['input'];
  /** The new password again. */
  newPasswordConfirmation: Scalars['String']['input'];
  /** The temporary password the operator gave. */
  temporaryPassword: Scalars['String']['input'];
};

/** Input of `resendRegistrationCode`. */
export type ResendCodeInput = {
  /** The registration request. */
  requestId: Scalars['ID']['input'];
};

/** Input of `revokeSession`. */
export type RevokeSessionInput = {
  /** The session to end (`User.sessions`). */
  sessionId: Scalars['ID']['input'];
};

/** A role an account holds beyond the citizen's own. */
export type Role =
  /** Coordinator (координатор): sees the analytics of appeals across authorities. */
  | 'COORDINATOR'
  /** Official of an authority (должностное лицо): works on the appeals sent to that authority. */
  | 'OFFICIAL'
  /** Operator of a service centre (оператор центра обслуживания): confirms identities in person. */
  | 'OPERATOR';

/** Passport of the Russian Federation. */
export type RussianPassportInput = {
  /** Division code, `NNN-NNN`. */
  divisionCode: Scalars['String']['input'];
  /** Issuing authority. */
  issuedBy: Scalars['String']['input'];
  /** Date of issue. */
  issuedOn: Scalars['Date']['input'];
  /** Number, 6 digits. */
  number: Scalars['String']['input'];
  /** Series, 4 digits (`45 10` is fine). */
  series: Scalars['String']['input'];
};

/** A document to save: exactly one kind. */
export type SaveDocumentInput = {
  /** Birth certificate. */
  birthCertificate?: InputMaybe<IssuedDocumentInput>;
  /** The foreign passport to change; leave out to add one. */
  documentId?: InputMaybe<Scalars['ID']['input']>;
  /** Driver licence. */
  driverLicence?: InputMaybe<DriverLicenceInput>;
  /** Foreign passport. */
  foreignPassport?: InputMaybe<ForeignPassportInput>;
  /** INN. */
  inn?: InputMaybe<NumberDocumentInput>;
  /** Military ID. */
  militaryId?: InputMaybe<IssuedDocumentInput>;
  /** ОМС policy. */
  omsPolicy?: InputMaybe<NumberDocumentInput>;
  /** Passport of the Russian Federation. */
  russianPassport?: InputMaybe<RussianPassportInput>;
  /** SNILS. */
  snils?: InputMaybe<NumberDocumentInput>;
};

/** Input of `setMobilePin`. */
export type SetMobilePinInput = {
  /** The app installation's own id (8 to 128 letters, digits, `.`, `:`, `_`, `-`). */
  deviceId: Scalars['String']['input'];
  /** A name for the device. */
  deviceName?: InputMaybe<Scalars['String']['input']>;
  /** Four digits; not all the same and not in a row. */
  pin: Scalars['String']['input'];
};

/** Input of `setTwoStepLogin`. */
export type SetTwoStepLoginInput = {
  /** On or off. */
  enabled: Scalars['Boolean']['input'];
  /** The account's password. */
  password: Scalars['String']['input'];
};

/** Sex (пол) as recorded in identity documents. */
export type Sex =
  /** Female (женский). */
  | 'FEMALE'
  /** Male (мужской). */
  | 'MALE';

/** Input of `startContactChange`: one new contact and the password. */
export type StartContactChangeInput = {
  /** The new e-mail. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** The account's password. */
  password: Scalars['String']['input'];
  /** The new mobile phone. */
  phone?: InputMaybe<Scalars['String']['input']>;
};

/** Input of `startPasswordRecovery`. */
export type StartPasswordRecoveryInput = {
  /** Phone, e-mail or SNILS of the account. */
  login: Scalars['String']['input'];
};

/** Input of `startRegistration`: names and exactly one contact. */
export type StartRegistrationInput = {
  /** E-mail; a link is sent to it. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** First name (имя). */
  firstName: Scalars['String']['input'];
  /** Last name (фамилия). */
  lastName: Scalars['String']['input'];
  /** Mobile phone; an SMS code is sent to it. */
  phone?: InputMaybe<Scalars['String']['input']>;
};

/** Preferences to change; what is left out stays. */
export type UpdateNotificationPreferencesInput = {
  /** Removes the delivery window: notifications at any time. */
  clearDeliveryWindow?: InputMaybe<Scalars['Boolean']['input']>;
  /** The delivery window. */
  deliveryWindow?: InputMaybe<DeliveryWindowInput>;
  /** Channels for some kinds. */
  kinds?: InputMaybe<Array<KindPreferenceInput>>;
};

/** A vehicle to save. */
export type VehicleInput = {
  /** Body or chassis number, when there is no VIN. */
  bodyNumber?: InputMaybe<Scalars['String']['input']>;
  /** Make. */
  make: Scalars['String']['input'];
  /** Model. */
  model: Scalars['String']['input'];
  /** Registration certificate (СТС) number. */
  registrationCertificate?: InputMaybe<Scalars['String']['input']>;
  /** Registration plate; Latin look-alike letters are fine (`A123BC77`). */
  registrationPlate?: InputMaybe<Scalars['String']['input']>;
  /** The vehicle to change; leave out to add one. */
  vehicleId?: InputMaybe<Scalars['ID']['input']>;
  /** VIN; give it or a body number. */
  vin?: InputMaybe<Scalars['String']['input']>;
};

/** Where a document stands with the state registers. */
export type VerificationStatus =
  /** Confirmed by the state register (проверено). */
  | 'CHECKED'
  /** A check is running; the document cannot be edited meanwhile (проверяется). */
  | 'CHECKING'
  /** The register did not confirm it; see `failureReason` (не подтверждено). */
  | 'FAILED'
  /** Not checked yet, or changed since the last check (не проверено). */
  | 'NOT_CHECKED';

export type Join__ContextArgument = {
  context: Scalars['String']['input'];
  name: Scalars['String']['input'];
  selection: Scalars['join__FieldValue']['input'];
  type: Scalars['String']['input'];
};

export type Join__Graph =
  | 'APPEALS'
  | 'IDENTITY'
  | 'NOTIFICATIONS'
  | 'PROFILE';

export type Link__Purpose =
  /** `EXECUTION` features provide metadata necessary for operation execution. */
  | 'EXECUTION'
  /** `SECURITY` features provide metadata necessary to securely resolve fields. */
  | 'SECURITY';

export type WhoamiQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoamiQuery = { __typename: 'Query', me?: { __typename: 'User', id: string, roles: Array<Role>, name?: { __typename: 'PersonName', firstName: string, lastName: string } | null } | null };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { __typename: 'Mutation', logout: { __typename: 'SessionsPayload', errors: Array<{ __typename: 'UserError', message: string }> } };

export type SignedInFragment = { __typename: 'AuthPayload', accessToken?: string | null, accessTokenExpiresAt?: string | null, refreshToken?: string | null, errors: Array<{ __typename: 'UserError', code: string, message: string }> };

export type RefreshSessionMutationVariables = Exact<{
  input: RefreshSessionInput;
}>;


export type RefreshSessionMutation = { __typename: 'Mutation', refreshSession: { __typename: 'AuthPayload', accessToken?: string | null, accessTokenExpiresAt?: string | null, refreshToken?: string | null, errors: Array<{ __typename: 'UserError', code: string, message: string }> } };

export type UnreadCountQueryVariables = Exact<{ [key: string]: never; }>;


export type UnreadCountQuery = { __typename: 'Query', me?: { __typename: 'User', id: string, notifications: { __typename: 'NotificationConnection', unreadCount: number } } | null };

export type UnreadCountChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type UnreadCountChangedSubscription = { __typename?: 'Subscription', unreadCountChanged: { __typename: 'UnreadCounts', unreadCount: number } };

export type MyAppealsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyAppealsQuery = { __typename: 'Query', me?: { __typename: 'User', id: string, appeals: { __typename: 'AppealConnection', totalCount: number, edges: Array<{ __typename: 'AppealEdge', node: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus, text: string, address?: string | null, createdAt: string, dueAt?: string | null, topic?: { __typename: 'Topic', id: string, name: string } | null, authority?: { __typename: 'Authority', id: string, name: string } | null, answer?: { __typename: 'AppealAnswer', text: string, answeredAt: string } | null } }> } } | null };

export type AppealCardFragment = { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus, text: string, address?: string | null, createdAt: string, dueAt?: string | null, topic?: { __typename: 'Topic', id: string, name: string } | null, authority?: { __typename: 'Authority', id: string, name: string } | null, answer?: { __typename: 'AppealAnswer', text: string, answeredAt: string } | null };

export type AppealStatusChangedSubscriptionVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AppealStatusChangedSubscription = { __typename?: 'Subscription', appealStatusChanged: { __typename: 'AppealStatusChange', cursor: string, to: AppealStatus, appeal: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus, text: string, address?: string | null, createdAt: string, dueAt?: string | null, topic?: { __typename: 'Topic', id: string, name: string } | null, authority?: { __typename: 'Authority', id: string, name: string } | null, answer?: { __typename: 'AppealAnswer', text: string, answeredAt: string } | null } } };

export type FeedQueryVariables = Exact<{
  search?: InputMaybe<Scalars['String']['input']>;
  category?: InputMaybe<NotificationCategory>;
  unreadOnly?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type FeedQuery = { __typename: 'Query', me?: { __typename: 'User', id: string, notifications: { __typename: 'NotificationConnection', totalCount: number, unreadCount: number, edges: Array<{ __typename: 'NotificationEdge', cursor: string, node: { __typename: 'Notification', id: string, category: NotificationCategory, title: string, body: string, createdAt: string, isRead: boolean, appeal?: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus } | null } }> } } | null };

export type FeedItemFragment = { __typename: 'Notification', id: string, category: NotificationCategory, title: string, body: string, createdAt: string, isRead: boolean, appeal?: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus } | null };

export type NotificationAddedSubscriptionVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type NotificationAddedSubscription = { __typename?: 'Subscription', notificationAdded: { __typename: 'NotificationEdge', cursor: string, node: { __typename: 'Notification', id: string, category: NotificationCategory, title: string, body: string, createdAt: string, isRead: boolean, appeal?: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus } | null } } };

export type MarkNotificationsReadMutationVariables = Exact<{
  input: NotificationIdsInput;
}>;


export type MarkNotificationsReadMutation = { __typename: 'Mutation', markNotificationsRead: { __typename: 'NotificationsChangedPayload', updatedCount: number, errors: Array<{ __typename: 'UserError', message: string }> } };

export type MarkNotificationsUnreadMutationVariables = Exact<{
  input: NotificationIdsInput;
}>;


export type MarkNotificationsUnreadMutation = { __typename: 'Mutation', markNotificationsUnread: { __typename: 'NotificationsChangedPayload', updatedCount: number, errors: Array<{ __typename: 'UserError', message: string }> } };

export type CabinetHomeQueryVariables = Exact<{ [key: string]: never; }>;


export type CabinetHomeQuery = { __typename: 'Query', me?: { __typename: 'User', id: string, level: AccountLevel, phone?: string | null, email?: string | null, snils?: string | null, roles: Array<Role>, confirmationMethod?: IdentityConfirmationMethod | null, name?: { __typename: 'PersonName', lastName: string, firstName: string, middleName?: string | null } | null, documents: Array<
      | { __typename: 'BirthCertificate', id: string, type: DocumentType, verification: { __typename: 'Verification', status: VerificationStatus } }
      | { __typename: 'DriverLicence', id: string, type: DocumentType, verification: { __typename: 'Verification', status: VerificationStatus } }
      | { __typename: 'ForeignPassport', id: string, type: DocumentType, verification: { __typename: 'Verification', status: VerificationStatus } }
      | { __typename: 'Inn', id: string, type: DocumentType, verification: { __typename: 'Verification', status: VerificationStatus } }
      | { __typename: 'MilitaryId', id: string, type: DocumentType, verification: { __typename: 'Verification', status: VerificationStatus } }
      | { __typename: 'OmsPolicy', id: string, type: DocumentType, verification: { __typename: 'Verification', status: VerificationStatus } }
      | { __typename: 'RussianPassport', id: string, type: DocumentType, verification: { __typename: 'Verification', status: VerificationStatus } }
      | { __typename: 'Snils', id: string, type: DocumentType, verification: { __typename: 'Verification', status: VerificationStatus } }
    >, dataCheck?: { __typename: 'DataCheck', status: DataCheckStatus } | null } | null };

export type TopicsQueryVariables = Exact<{ [key: string]: never; }>;


export type TopicsQuery = { __typename: 'Query', topics: Array<{ __typename: 'Topic', id: string, name: string, children: Array<{ __typename: 'Topic', id: string, name: string }> }> };

export type PreviewAppealRoutingQueryVariables = Exact<{
  input: PreviewAppealRoutingInput;
}>;


export type PreviewAppealRoutingQuery = { __typename: 'Query', previewAppealRouting: { __typename: 'AppealRoutingPreview', routing?: { __typename: 'AppealRouting', reason: AppealRoutingReason, explanation: string, authority: { __typename: 'Authority', id: string, name: string } } | null, errors: Array<{ __typename: 'UserError', field?: Array<string> | null, code: string, message: string }> } };

export type SubmitAppealMutationVariables = Exact<{
  input: AppealInput;
}>;


export type SubmitAppealMutation = { __typename: 'Mutation', submitAppeal: { __typename: 'AppealPayload', appeal?: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus } | null, errors: Array<{ __typename: 'UserError', field?: Array<string> | null, code: string, message: string }> } };

export type AuthorityQueueQueryVariables = Exact<{ [key: string]: never; }>;


export type AuthorityQueueQuery = { __typename: 'Query', me?: { __typename: 'User', id: string, officialAuthority?: { __typename: 'Authority', id: string, name: string } | null } | null, authorityAppeals: { __typename: 'AppealConnection', totalCount: number, edges: Array<{ __typename: 'AppealEdge', node: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus, text: string, address?: string | null, createdAt: string, dueAt?: string | null, topic?: { __typename: 'Topic', id: string, name: string } | null, authority?: { __typename: 'Authority', id: string, name: string } | null, answer?: { __typename: 'AppealAnswer', text: string, answeredAt: string } | null } }> } };

export type AuthorityQueueChangedSubscriptionVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AuthorityQueueChangedSubscription = { __typename?: 'Subscription', authorityQueueChanged: { __typename: 'AuthorityQueueChange', cursor: string, kind: AuthorityQueueChangeKind, appeal?: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus, text: string, address?: string | null, createdAt: string, dueAt?: string | null, topic?: { __typename: 'Topic', id: string, name: string } | null, authority?: { __typename: 'Authority', id: string, name: string } | null, answer?: { __typename: 'AppealAnswer', text: string, answeredAt: string } | null } | null } };

export type TakeAppealIntoWorkMutationVariables = Exact<{
  input: AppealIdInput;
}>;


export type TakeAppealIntoWorkMutation = { __typename: 'Mutation', takeAppealIntoWork: { __typename: 'AppealPayload', appeal?: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus, text: string, address?: string | null, createdAt: string, dueAt?: string | null, topic?: { __typename: 'Topic', id: string, name: string } | null, authority?: { __typename: 'Authority', id: string, name: string } | null, answer?: { __typename: 'AppealAnswer', text: string, answeredAt: string } | null } | null, errors: Array<{ __typename: 'UserError', code: string, message: string }> } };

export type AnswerAppealMutationVariables = Exact<{
  input: AppealTextInput;
}>;


export type AnswerAppealMutation = { __typename: 'Mutation', answerAppeal: { __typename: 'AppealPayload', appeal?: { __typename: 'Appeal', id: string, number?: string | null, status: AppealStatus, text: string, address?: string | null, createdAt: string, dueAt?: string | null, topic?: { __typename: 'Topic', id: string, name: string } | null, authority?: { __typename: 'Authority', id: string, name: string } | null, answer?: { __typename: 'AppealAnswer', text: string, answeredAt: string } | null } | null, errors: Array<{ __typename: 'UserError', code: string, message: string }> } };

export type StartRegistrationMutationVariables = Exact<{
  input: StartRegistrationInput;
}>;


export type StartRegistrationMutation = { __typename: 'Mutation', startRegistration: { __typename: 'CodeSentPayload', codeSent?: { __typename: 'CodeSent', requestId: string, sentTo: string } | null, errors: Array<{ __typename: 'UserError', code: string, message: string }> } };

export type ConfirmRegistrationContactMutationVariables = Exact<{
  input: ConfirmCodeInput;
}>;


export type ConfirmRegistrationContactMutation = { __typename: 'Mutation', confirmRegistrationContact: { __typename: 'ConfirmationPayload', confirmed: boolean, errors: Array<{ __typename: 'UserError', code: string, message: string }> } };

export type CompleteRegistrationMutationVariables = Exact<{
  input: CompleteRegistrationInput;
}>;


export type CompleteRegistrationMutation = { __typename: 'Mutation', completeRegistration: { __typename: 'AuthPayload', accessToken?: string | null, accessTokenExpiresAt?: string | null, refreshToken?: string | null, errors: Array<{ __typename: 'UserError', code: string, message: string }> } };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { __typename: 'Mutation', login: { __typename: 'LoginPayload', accessToken?: string | null, accessTokenExpiresAt?: string | null, refreshToken?: string | null, smsCodeSent?: { __typename: 'CodeSent', requestId: string, sentTo: string, expiresAt: string } | null, errors: Array<{ __typename: 'UserError', code: string, message: string }> } };

export type ConfirmLoginMutationVariables = Exact<{
  input: ConfirmCodeInput;
}>;


export type ConfirmLoginMutation = { __typename: 'Mutation', confirmLogin: { __typename: 'AuthPayload', accessToken?: string | null, accessTokenExpiresAt?: string | null, refreshToken?: string | null, errors: Array<{ __typename: 'UserError', code: string, message: string }> } };

export const SignedInFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignedIn"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuthPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"accessTokenExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<SignedInFragment, unknown>;
export const AppealCardFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AppealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appeal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dueAt"}},{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"authority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"answer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"answeredAt"}}]}}]}}]} as unknown as DocumentNode<AppealCardFragment, unknown>;
export const FeedItemFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FeedItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Notification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isRead"}},{"kind":"Field","name":{"kind":"Name","value":"appeal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<FeedItemFragment, unknown>;
export const WhoamiDocument = {"__meta__":{"hash":"823a50ed161b7f928d6631de2f591f4ba0d86b0e8763171edd28418adb050311"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Whoami"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}}]}}]}}]}}]} as unknown as DocumentNode<WhoamiQuery, WhoamiQueryVariables>;
export const LogoutDocument = {"__meta__":{"hash":"69e2b7e6937296f16985533b12dbdc6b57566320ed54acace0cdff75641c5833"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Logout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"logout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<LogoutMutation, LogoutMutationVariables>;
export const RefreshSessionDocument = {"__meta__":{"hash":"635dc96f674fe76e53ef17d36cdcb08b6a2fef236517ce87c1adb2770db69904"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RefreshSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RefreshSessionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"refreshSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SignedIn"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignedIn"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuthPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"accessTokenExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const UnreadCountDocument = {"__meta__":{"hash":"f8766c2461a0d16bfe1c3471ea5f3ddefa5d0d833c65ffe22b89a710456b9a34"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnreadCount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"notifications"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}}]}}]}}]}}]} as unknown as DocumentNode<UnreadCountQuery, UnreadCountQueryVariables>;
export const UnreadCountChangedDocument = {"__meta__":{"hash":"baf76f598143eed28c3b0d8a4bfe24760f5cc439a6253d7f22d6bd12c81633b6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"UnreadCountChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unreadCountChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}}]}}]}}]} as unknown as DocumentNode<UnreadCountChangedSubscription, UnreadCountChangedSubscriptionVariables>;
export const MyAppealsDocument = {"__meta__":{"hash":"ace5cae8aac5f1bdc8e9c9dd50a1071277730662d89536e71f0c0dc519f0fb1b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyAppeals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"appeals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AppealCard"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AppealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appeal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dueAt"}},{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"authority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"answer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"answeredAt"}}]}}]}}]} as unknown as DocumentNode<MyAppealsQuery, MyAppealsQueryVariables>;
export const AppealStatusChangedDocument = {"__meta__":{"hash":"d230a49e64bbcd3978d7d568e95fe9b055b5fe47fca86aba8c5f1d5039f3cb0d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"AppealStatusChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appealStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"appeal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AppealCard"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AppealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appeal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dueAt"}},{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"authority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"answer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"answeredAt"}}]}}]}}]} as unknown as DocumentNode<AppealStatusChangedSubscription, AppealStatusChangedSubscriptionVariables>;
export const FeedDocument = {"__meta__":{"hash":"fc5e561b18728241cfcb2581ff50a0c783b231fa1a515a27a22240215eb168e9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Feed"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"category"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"NotificationCategory"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"unreadOnly"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"notifications"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"category"},"value":{"kind":"Variable","name":{"kind":"Name","value":"category"}}},{"kind":"Argument","name":{"kind":"Name","value":"unreadOnly"},"value":{"kind":"Variable","name":{"kind":"Name","value":"unreadOnly"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"FeedItem"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FeedItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Notification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isRead"}},{"kind":"Field","name":{"kind":"Name","value":"appeal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<FeedQuery, FeedQueryVariables>;
export const NotificationAddedDocument = {"__meta__":{"hash":"0f18731f53a590aa5e94228c941052161c3861b470e3138ed33002c1fb600df5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"NotificationAdded"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notificationAdded"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"FeedItem"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FeedItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Notification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isRead"}},{"kind":"Field","name":{"kind":"Name","value":"appeal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<NotificationAddedSubscription, NotificationAddedSubscriptionVariables>;
export const MarkNotificationsReadDocument = {"__meta__":{"hash":"a684258dea1883c17ad25cc57edf1a57d89b0346ee484e9a5c821876bd1218df"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkNotificationsRead"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"NotificationIdsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"markNotificationsRead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"updatedCount"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const MarkNotificationsUnreadDocument = {"__meta__":{"hash":"6267e749f0c781939699937552e37b2e59d88ab0ddef5a27b8ad53f560d80694"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkNotificationsUnread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"NotificationIdsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"markNotificationsUnread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"updatedCount"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<MarkNotificationsUnreadMutation, MarkNotificationsUnreadMutationVariables>;
export const CabinetHomeDocument = {"__meta__":{"hash":"0d5ee8664ec055a0a77c1c86ce9d99fd3025d78986bf5395bca6a0c4d9503ea5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CabinetHome"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"snils"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"confirmationMethod"}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"middleName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"documents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"verification"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataCheck"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<CabinetHomeQuery, CabinetHomeQueryVariables>;
export const TopicsDocument = {"__meta__":{"hash":"2a737078b29a5a4008873b06d61e98880499c41e3951549e3cc8b71e8f1eab79"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Topics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"topics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<TopicsQuery, TopicsQueryVariables>;
export const PreviewAppealRoutingDocument = {"__meta__":{"hash":"1f624ef5f0e0bd0db21fe0c18e751b614439ee8e6fcf45ef8a30d61fed84981c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PreviewAppealRouting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PreviewAppealRoutingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"previewAppealRouting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"routing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"explanation"}},{"kind":"Field","name":{"kind":"Name","value":"authority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<PreviewAppealRoutingQuery, PreviewAppealRoutingQueryVariables>;
export const SubmitAppealDocument = {"__meta__":{"hash":"7c85f1f4d00c210901f4d8c1f3399d4bcab4d968977c44bca11d8b6062dd7593"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SubmitAppeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AppealInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"submitAppeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"appeal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SubmitAppealMutation, SubmitAppealMutationVariables>;
export const AuthorityQueueDocument = {"__meta__":{"hash":"beea43c8ed29009cd6ed238d26b0ee29e18fc13abdf424d6d8ae015dff01f019"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuthorityQueue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"officialAuthority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"authorityAppeals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"statuses"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"REGISTERED"},{"kind":"EnumValue","value":"REDIRECTED"},{"kind":"EnumValue","value":"IN_WORK"},{"kind":"EnumValue","value":"CLARIFICATION_REQUESTED"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AppealCard"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AppealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appeal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dueAt"}},{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"authority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"answer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"answeredAt"}}]}}]}}]} as unknown as DocumentNode<AuthorityQueueQuery, AuthorityQueueQueryVariables>;
export const AuthorityQueueChangedDocument = {"__meta__":{"hash":"e303d1f424a38ee1023b3479fac8318b47549a9bae1751a6ba0b04da6dd56f4b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"AuthorityQueueChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"authorityQueueChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"appeal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AppealCard"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AppealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appeal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dueAt"}},{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"authority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"answer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"answeredAt"}}]}}]}}]} as unknown as DocumentNode<AuthorityQueueChangedSubscription, AuthorityQueueChangedSubscriptionVariables>;
export const TakeAppealIntoWorkDocument = {"__meta__":{"hash":"6aedf75ce06f2826ab7a589806dcb102d2f2273b26976595b8413c0411e374ac"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TakeAppealIntoWork"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AppealIdInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"takeAppealIntoWork"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"appeal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AppealCard"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AppealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appeal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dueAt"}},{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"authority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"answer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"answeredAt"}}]}}]}}]} as unknown as DocumentNode<TakeAppealIntoWorkMutation, TakeAppealIntoWorkMutationVariables>;
export const AnswerAppealDocument = {"__meta__":{"hash":"2f696d40d8fa798f1a1af80a3512ee9fd774b7293d957d908b9a88fdd4986fb8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AnswerAppeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AppealTextInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"answerAppeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"appeal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AppealCard"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AppealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appeal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dueAt"}},{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"authority"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"answer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"answeredAt"}}]}}]}}]} as unknown as DocumentNode<AnswerAppealMutation, AnswerAppealMutationVariables>;
export const StartRegistrationDocument = {"__meta__":{"hash":"9b22ac6f9a0b154a3bd98db982618da2eb0c1719801a0e4febefbf1bb1f14040"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartRegistration"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartRegistrationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"startRegistration"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"codeSent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"sentTo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<StartRegistrationMutation, StartRegistrationMutationVariables>;
export const ConfirmRegistrationContactDocument = {"__meta__":{"hash":"8020305c20950bf5d71d2fbc52c5d77026de6fe4ed6c80eb991b54a75209fadb"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConfirmRegistrationContact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConfirmCodeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"confirmRegistrationContact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"confirmed"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConfirmRegistrationContactMutation, ConfirmRegistrationContactMutationVariables>;
export const CompleteRegistrationDocument = {"__meta__":{"hash":"e0cdc307449178e961dcb533c99d76b6883b99ab3d7c811bc13051dbf2771266"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteRegistration"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompleteRegistrationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"completeRegistration"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SignedIn"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignedIn"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuthPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"accessTokenExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<CompleteRegistrationMutation, CompleteRegistrationMutationVariables>;
export const LoginDocument = {"__meta__":{"hash":"82f1f5fe04ad22b2b94e7f54df98757ac614c30934dd1a2ae9396c123a463059"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"accessTokenExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"smsCodeSent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"sentTo"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const ConfirmLoginDocument = {"__meta__":{"hash":"a7140fb57fcf00561cdc74c42100123e5b56e477de0fdfc0560ecd50dd45288d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConfirmLogin"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConfirmCodeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"confirmLogin"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SignedIn"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignedIn"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuthPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"accessTokenExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ConfirmLoginMutation, ConfirmLoginMutationVariables>;