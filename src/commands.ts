import Agent from './commands/agent.js'
import Chat from './commands/chat.js'
import BackupCreate from './commands/backup/create.js'
import BackupRestore from './commands/backup/restore.js'
import BackupVerify from './commands/backup/verify.js'
import Completion from './commands/completion.js'
import ChannelsAdd from './commands/channels/add.js'
import ChannelsList from './commands/channels/list.js'
import ChannelsRemove from './commands/channels/remove.js'
import ChannelsStatus from './commands/channels/status.js'
import ConfigFile from './commands/config/file.js'
import ConfigGet from './commands/config/get.js'
import ConfigPatch from './commands/config/patch.js'
import ConfigSchemaCommand from './commands/config/schema.js'
import ConfigSet from './commands/config/set.js'
import ConfigUnset from './commands/config/unset.js'
import ConfigValidate from './commands/config/validate.js'
import Doctor from './commands/doctor.js'
import GatewayCall from './commands/gateway/call.js'
import GatewayHealth from './commands/gateway/health.js'
import GatewayInstall from './commands/gateway/install.js'
import GatewayProbe from './commands/gateway/probe.js'
import GatewayStatus from './commands/gateway/status.js'
import GatewayRestart from './commands/gateway/restart.js'
import GatewayRun from './commands/gateway/run.js'
import GatewayStart from './commands/gateway/start.js'
import GatewayStop from './commands/gateway/stop.js'
import GatewayUninstall from './commands/gateway/uninstall.js'
import Dashboard from './commands/dashboard.js'
import Health from './commands/health.js'
import HelpCommand from './commands/help.js'
import Logs from './commands/logs.js'
import ModelsList from './commands/models/list.js'
import ModelsStatus from './commands/models/status.js'
import Onboard from './commands/onboard.js'
import Status from './commands/status.js'
import AgentsAdd from './commands/agents/add.js'
import AgentsBind from './commands/agents/bind.js'
import AgentsDelete from './commands/agents/delete.js'
import AgentsList from './commands/agents/list.js'
import AgentsSetIdentity from './commands/agents/set-identity.js'
import AgentsUnbind from './commands/agents/unbind.js'
import SessionsHistory from './commands/sessions/history.js'
import SessionsList from './commands/sessions/list.js'
import SessionsReset from './commands/sessions/reset.js'
import SessionsSend from './commands/sessions/send.js'
import MessageSend from './commands/message/send.js'
import PairingApprove from './commands/pairing/approve.js'
import PairingList from './commands/pairing/list.js'

/** The explicit command map oclif loads (package.json `oclif.commands`). Keys use ":"; help shows spaces. */
export const COMMANDS = {
  'backup:create': BackupCreate,
  'backup:restore': BackupRestore,
  'backup:verify': BackupVerify,
  'config:file': ConfigFile,
  'config:get': ConfigGet,
  'config:patch': ConfigPatch,
  'config:schema': ConfigSchemaCommand,
  'config:set': ConfigSet,
  'config:unset': ConfigUnset,
  'config:validate': ConfigValidate,
  doctor: Doctor,
  'gateway:call': GatewayCall,
  'gateway:health': GatewayHealth,
  'gateway:install': GatewayInstall,
  'gateway:probe': GatewayProbe,
  'gateway:restart': GatewayRestart,
  'gateway:run': GatewayRun,
  'gateway:start': GatewayStart,
  'gateway:status': GatewayStatus,
  'gateway:stop': GatewayStop,
  'gateway:uninstall': GatewayUninstall,
  dashboard: Dashboard,
  health: Health,
  logs: Logs,
  onboard: Onboard,
  status: Status,
  agent: Agent,
  chat: Chat,
  completion: Completion,
  help: HelpCommand,
  'agents:add': AgentsAdd,
  'agents:bind': AgentsBind,
  'agents:delete': AgentsDelete,
  'agents:list': AgentsList,
  'agents:set-identity': AgentsSetIdentity,
  'agents:unbind': AgentsUnbind,
  'sessions:history': SessionsHistory,
  'sessions:list': SessionsList,
  'sessions:reset': SessionsReset,
  'sessions:send': SessionsSend,
  'models:list': ModelsList,
  'models:status': ModelsStatus,
  'channels:add': ChannelsAdd,
  'channels:list': ChannelsList,
  'channels:remove': ChannelsRemove,
  'channels:status': ChannelsStatus,
  'message:send': MessageSend,
  'pairing:approve': PairingApprove,
  'pairing:list': PairingList,
}
