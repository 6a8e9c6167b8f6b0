/**
 * The one registry of error codes. Every AppError carries one of these codes; `docs/errors.md`
 * documents each of them and a unit test fails when the two drift apart.
 *
 * `exitCode` is the default process exit code for the code (operations.md §1.4); `type` is the
 * `error.type` of the JSON envelope (`gateway_transport_error` for unreachable/refused/timed-out
 * gateways, `cli_error` otherwise).
 */
export interface ErrorCodeInfo {
  readonly exitCode: 1 | 2 | 3 | 70 | 78
  readonly type?: 'cli_error' | 'gateway_transport_error'
  /** One line: what the code means. */
  readonly meaning: string
}

export const ERROR_CODES = {
  INTERNAL: {exitCode: 70, meaning: 'An unexpected failure inside openclaw: a bug.'},
  USAGE: {exitCode: 2, meaning: 'The command line is wrong: unknown command or flag, bad flag value, missing input.'},
  CANCELLED: {exitCode: 1, meaning: 'A prompt was cancelled.'},
  CHECKS_FAILED: {exitCode: 3, meaning: 'A check command (doctor, health, status --deep) found a failing check.'},

  PROFILE_INVALID: {exitCode: 2, meaning: 'A profile name is not of the form [a-z0-9][a-z0-9_-]{0,63}.'},
  ENV_INVALID: {exitCode: 1, meaning: 'An environment variable holds a value openclaw cannot use.'},
  STATE_DIR_UNSAFE: {exitCode: 78, meaning: 'The state dir is owned by another user or writable by others.'},
  STATE_LOCKED: {exitCode: 1, meaning: 'Another openclaw process holds the state-dir lock.'},

  CONFIG_PARSE: {exitCode: 1, meaning: 'The config file (or an included file) is not valid JSON5.'},
  CONFIG_INCLUDE: {exitCode: 1, meaning: 'A $include could not be resolved (missing, outside the allowed roots, cyclic, too deep, too large).'},
  CONFIG_ENV_MISSING: {exitCode: 1, meaning: 'A ${VAR} reference names an unset or empty environment variable.'},
  CONFIG_INVALID: {exitCode: 1, meaning: 'The config does not match the schema; every issue is listed.'},
  CONFIG_READ_FAILED: {exitCode: 1, meaning: 'The config file exists but cannot be read (permissions, not a regular file, too large).'},
  CONFIG_PATH_INVALID: {exitCode: 2, meaning: 'A config path argument has bad syntax (empty segment, unbalanced bracket).'},
  CONFIG_PATH_NOT_FOUND: {exitCode: 1, meaning: 'A config path is not known to the schema, or has no value.'},
  CONFIG_VALUE_INVALID: {exitCode: 2, meaning: 'A value given on the command line could not be parsed (--strict-json).'},
  CONFIG_EDIT_REFUSED: {exitCode: 1, meaning: 'A config edit was refused: it would add issues, drop keys, or touch an included or legacy section.'},
  CONFIG_READONLY: {exitCode: 1, meaning: 'Owned config writes are disabled by OPENCLAW_CONFIG_READONLY=1.'},
  CONFIG_LOCKED: {exitCode: 1, meaning: 'Another process holds the config write lock.'},
  CONFIG_CHANGED: {exitCode: 1, meaning: 'The config file changed on disk while it was being edited.'},
  CONFIG_WRITE_FAILED: {exitCode: 1, meaning: 'The config file could not be written.'},

  LOG_FILE_MISSING: {exitCode: 1, meaning: 'There is no log file to read yet.'},
  LOG_FILE_UNWRITABLE: {exitCode: 1, meaning: 'The file log cannot be written: its directory is unsafe (a symlink, owned by another user, writable by others) or not writable.'},
  LOG_FILE_UNREADABLE: {exitCode: 1, meaning: 'The log file exists but cannot be read (permissions).'},

  GATEWAY_UNREACHABLE: {exitCode: 1, type: 'gateway_transport_error', meaning: 'No gateway answered at the target URL.'},
  GATEWAY_TIMEOUT: {exitCode: 1, type: 'gateway_transport_error', meaning: 'The gateway did not answer in time.'},
  GATEWAY_AUTH_FAILED: {exitCode: 1, type: 'gateway_transport_error', meaning: 'The gateway refused the credentials.'},
  GATEWAY_PROTOCOL: {exitCode: 1, type: 'gateway_transport_error', meaning: 'The gateway speaks an incompatible protocol version or sent a malformed frame.'},
  GATEWAY_CLOSED: {exitCode: 1, type: 'gateway_transport_error', meaning: 'The gateway closed the connection before answering.'},
  GATEWAY_REQUEST_FAILED: {exitCode: 1, meaning: 'The gateway answered a request with an error.'},
  GATEWAY_CONFIG: {exitCode: 78, meaning: 'The gateway cannot start with this configuration (mode, auth, bind, state dir).'},
  GATEWAY_ALREADY_RUNNING: {exitCode: 78, meaning: 'Another gateway already serves this state dir or port.'},
  GATEWAY_LOCK_STUCK: {exitCode: 1, meaning: 'The gateway lock is held by a process that does not answer.'},
  GATEWAY_PORT_IN_USE: {exitCode: 1, meaning: 'Another program listens on the gateway port.'},
  GATEWAY_NOT_RUNNING: {exitCode: 1, meaning: 'No gateway is running for this state dir.'},
  SESSION_NOT_FOUND: {exitCode: 1, meaning: 'No session has this key (or no transcript has this sessionId).'},
  SESSION_LOCKED: {exitCode: 1, meaning: 'Another process holds the session transcript lock.'},
  SESSION_CHANGED: {exitCode: 1, meaning: 'The session was reset meanwhile: its sessionId is not the one expected.'},
  SESSION_STORE_FAILED: {exitCode: 1, meaning: 'The session store could not be read or written.'},
  AGENT_NOT_FOUND: {exitCode: 1, meaning: 'No agent has this id.'},
  AGENT_EXISTS: {exitCode: 1, meaning: 'An agent with this id already exists.'},
  AGENT_ID_INVALID: {exitCode: 2, meaning: 'An agent id is not of the form [a-z0-9][a-z0-9_-]{0,63}.'},
  BINDING_NOT_FOUND: {exitCode: 1, meaning: 'No binding matches the one to remove.'},
  MODEL_REF_INVALID: {exitCode: 1, meaning: 'A model ref is malformed or names an alias that does not exist.'},
  MODEL_PROVIDER_UNKNOWN: {exitCode: 1, meaning: 'A model ref names a provider that is neither configured nor a built-in preset.'},
  MODEL_API_KEY_MISSING: {exitCode: 1, meaning: 'No API key is configured for the model provider.'},
  MODEL_UNREACHABLE: {exitCode: 1, meaning: 'The model server could not be reached (connection refused, DNS, TLS).'},
  MODEL_TIMEOUT: {exitCode: 1, meaning: 'The model stream sent nothing for the idle timeout, or the run timed out.'},
  MODEL_REQUEST_FAILED: {exitCode: 1, meaning: 'The model provider answered with an error, or no candidate model could answer.'},
  MODEL_ABORTED: {exitCode: 1, meaning: 'The model request was aborted (/stop, chat.abort, shutdown).'},
  MODELS_CHECK_FAILED: {exitCode: 1, meaning: 'models status --check: no model is configured, or the primary model is not usable.'},
  MODELS_AUTH_EXPIRING: {exitCode: 2, meaning: 'models status --check: the primary is usable but a selected credential expires within 7 days.'},
  EXEC_APPROVAL_UNKNOWN: {exitCode: 1, meaning: 'No pending exec approval has this id (it expired or was already resolved).'},
  SERVICE_UNSUPPORTED: {exitCode: 1, meaning: 'No supported service manager here (systemd is not running, or the OS has none we support).'},
  SERVICE_NO_USER_BUS: {exitCode: 1, meaning: 'No systemd user session, and sudo is not available to install a system service instead.'},
  SERVICE_VALUE_INVALID: {exitCode: 1, meaning: 'A path or value for the service file cannot be written into it (a line break).'},
  SERVICE_UNIT_FOREIGN: {exitCode: 1, meaning: 'A service file of our name exists but was not written by openclaw.'},
  SERVICE_SCOPE_CONFLICT: {exitCode: 1, meaning: 'The gateway service is already installed in the other scope (user vs system).'},
  SERVICE_NOT_INSTALLED: {exitCode: 1, meaning: 'No gateway service is installed for this profile.'},
  SERVICE_COMMAND_FAILED: {exitCode: 1, meaning: 'systemctl, launchctl or sudo failed while installing or controlling the service.'},
  SERVICE_START_FAILED: {exitCode: 1, meaning: 'The service was installed or started, but the gateway did not become ready in time.'},
  DASHBOARD_DISABLED: {exitCode: 1, meaning: 'The Control UI is disabled (gateway.controlUi.enabled is false).'},

  DOCTOR_BACKUP_FAILED: {exitCode: 1, meaning: 'doctor could not write its backup before a change, so it changed nothing more.'},
  DOCTOR_FIX_FAILED: {exitCode: 1, meaning: 'A doctor fix failed midway; the changes made so far and their backup are reported.'},
  BACKUP_EXISTS: {exitCode: 1, meaning: 'The backup archive path already exists; backups never overwrite.'},
  BACKUP_UNREADABLE: {exitCode: 1, meaning: 'The file is unreadable or is not a backup archive made by backup create.'},
  BACKUP_CORRUPT: {exitCode: 3, meaning: 'The backup archive failed verification (a changed, missing or extra file).'},
  BACKUP_TARGET_NOT_EMPTY: {exitCode: 1, meaning: 'backup restore refuses a non-empty target, a live gateway, or existing workspace paths.'},
  ONBOARD_INVALID_CONFIG: {exitCode: 1, meaning: 'onboard found an invalid config; doctor must repair it first.'},
  ONBOARD_RISK_DECLINED: {exitCode: 1, meaning: 'The risk acknowledgement of onboard was declined.'},
  ONBOARD_KEY_REJECTED: {exitCode: 1, meaning: 'A provider API key or Telegram bot token was rejected (401/403) during onboarding; nothing was written.'},

  TELEGRAM_TOKEN_INVALID: {exitCode: 1, meaning: 'A Telegram bot token does not look like <digits>:<letters, digits, _ or ->; nothing was sent to Telegram.'},
  TELEGRAM_TOKEN_REJECTED: {exitCode: 1, meaning: 'Telegram rejected the bot token (401 Unauthorized).'},
  TELEGRAM_PROXY_UNSUPPORTED: {exitCode: 1, meaning: 'A Telegram account sets proxy, which v1 does not support.'},
  TELEGRAM_CONFLICT: {exitCode: 1, meaning: 'Another process polls this bot token (409 Conflict), or a webhook is set.'},
  TELEGRAM_TOKEN_LOCKED: {exitCode: 1, meaning: 'Another openclaw process on this machine already uses this bot token.'},
  TELEGRAM_BLOCKED: {exitCode: 1, meaning: 'The Telegram user blocked the bot or was deactivated (403).'},
  TELEGRAM_FORBIDDEN: {exitCode: 1, meaning: 'The bot may not post in this Telegram chat (403: kicked, not a member, not enough rights).'},
  TELEGRAM_RATE_LIMITED: {exitCode: 1, meaning: 'Telegram asked to wait longer than 60 s before sending again (429).'},
  TELEGRAM_CHAT_NOT_FOUND: {exitCode: 1, meaning: 'The Telegram chat or forum topic does not exist or the bot cannot see it.'},
  TELEGRAM_BAD_REQUEST: {exitCode: 1, meaning: 'Telegram refused a request as malformed (400).'},
  TELEGRAM_UNAVAILABLE: {exitCode: 1, meaning: 'The Telegram Bot API could not be reached or answered 5xx.'},
  TELEGRAM_ACCOUNT_STOPPED: {exitCode: 1, meaning: 'A reply could not be sent because its Telegram account is not running.'},
  CHANNEL_ACCOUNT_NOT_FOUND: {exitCode: 1, meaning: 'No channel account with that id is configured.'},
  PAIRING_CODE_NOT_FOUND: {exitCode: 1, meaning: 'No pending pairing request has that code (codes expire after 1 hour).'},
  DELIVERY_TARGET_INVALID: {exitCode: 1, meaning: 'An agent reply cannot be delivered: no target chat, or the channel, account or chat id is not usable.'},
  DELIVERY_FAILED: {exitCode: 1, meaning: 'An agent reply was not delivered to its chat (the send failed or its channel account is not running); the turn itself is recorded.'},
} as const satisfies Record<string, ErrorCodeInfo>

export type ErrorCode = keyof typeof ERROR_CODES
