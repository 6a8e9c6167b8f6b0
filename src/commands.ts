import ChannelsAdd from './commands/channels/add.js'
import ChannelsList from './commands/channels/list.js'
import ChannelsStatus from './commands/channels/status.js'
import ConfigFile from './commands/config/file.js'
import ConfigGet from './commands/config/get.js'
import ConfigPatch from './commands/config/patch.js'
import ConfigSchemaCommand from './commands/config/schema.js'
import ConfigSet from './commands/config/set.js'
import ConfigUnset from './commands/config/unset.js'
import ConfigValidate from './commands/config/validate.js'
import GatewayCall from './commands/gateway/call.js'
import GatewayHealth from './commands/gateway/health.js'
import GatewayProbe from './commands/gateway/probe.js'
import GatewayRun from './commands/gateway/run.js'
import Health from './commands/health.js'
import Logs from './commands/logs.js'
import Status from './commands/status.js'
import PairingApprove from './commands/pairing/approve.js'
import PairingList from './commands/pairing/list.js'

/** The explicit command map oclif loads (package.json `oclif.commands`). Keys use ":"; help shows spaces. */
export const COMMANDS = {
  'config:file': ConfigFile,
  'config:get': ConfigGet,
  'config:patch': ConfigPatch,
  'config:schema': ConfigSchemaCommand,
  'config:set': ConfigSet,
  'config:unset': ConfigUnset,
  'config:validate': ConfigValidate,
  'gateway:call': GatewayCall,
  'gateway:health': GatewayHealth,
  'gateway:probe': GatewayProbe,
  'gateway:run': GatewayRun,
  health: Health,
  logs: Logs,
  status: Status,
  'channels:add': ChannelsAdd,
  'channels:list': ChannelsList,
  'channels:status': ChannelsStatus,
  'pairing:approve': PairingApprove,
  'pairing:list': PairingList,
}
