/**
 * The package's public API: a local stand-in for Slack (Web API, response URLs, signed delivery of
 * commands and clicks to an app, and a page that shows the channel). aws-ir's local mode and tests
 * use it through these exports only.
 */
export { startStandIn, type ResponseUrlTarget, type RunningStandIn, type StandInInfo, type StandInLogger, type StandInOptions } from './server';
export type { DirectoryMode, UserFlags } from './directory';
export { generateBotToken, generateSigningSecret, signRequest } from './signing';
export { deliverForm, deliverInteraction, AppDeliveryError, ACK_TIMEOUT_MS, type AppAck, type AppEndpoint } from './app-delivery';
export { LOCAL_APP_ID, LOCAL_BOT, LOCAL_CHANNEL, LOCAL_TEAM, LOCAL_USERGROUPS, LOCAL_USERS, findUser, humanUsers, type LocalUser } from './identities';
export { MESSAGE_TEXT_LIMIT, validateMessageBlocks, validateView } from './block-kit-rules';
export type { StoredMessage, LocalFile, ModalView } from './workspace';
export type { RecordedCall, UntilOptions } from './web-api';
