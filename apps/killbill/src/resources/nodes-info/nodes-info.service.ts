import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Broadcast, Broadcasts, currentContext, InvalidRequestException, NodeInfos } from '@kb/platform';
import { PaymentPluginRegistry } from '@kb/payment';
import { pluginsInfoOf } from '../plugin-info/plugins-info';
import type { NodeCommand, NodeInfo } from './nodes-info.dto';
import { KILLBILL_API_VERSION, serverVersion } from './server-versions';

/** Kill Bill's service name of node-command broadcasts (KILLBILL_SERVICES.BROADCAST_SERVICE). */
export const NODE_COMMAND_SERVICE = 'broadcast-service';

/** Kill Bill's SystemNodeCommandType: the plugin commands. */
const PLUGIN_STATE_COMMANDS = { START_PLUGIN: [true], STOP_PLUGIN: [false], RESTART_PLUGIN: [false, true] } as const;
const PLUGIN_PACKAGE_COMMANDS = new Set(['INSTALL_PLUGIN', 'UNINSTALL_PLUGIN']);
type PluginStateCommand = keyof typeof PLUGIN_STATE_COMMANDS;

/** Kill Bill's PluginNodeCommandMetadata, as broadcast. */
interface PluginCommandEvent {
  readonly pluginKey: string | null;
  readonly pluginName: string | null;
  readonly pluginVersion: string | null;
  readonly properties: readonly { key: string; value: unknown }[];
}

type StoredNodeInfo = Omit<NodeInfo, 'nodeName' | 'bootTime' | 'lastUpdatedDate'>;

/**
 * Kill Bill's KillbillNodesApi and nodes service: this node's node_infos row (its versions and the
 * plugins it runs, written at boot and again when a plugin changes) and the node commands. The
 * plugins of this server are built in: a command that would install or uninstall one, or a command
 * no built-in part handles, is refused (400) instead of being broadcast to nobody; start, stop and
 * restart of a plugin are broadcast to every node (or run here only with `localNodeOnly`).
 */
@Injectable()
export class NodesInfoService implements OnApplicationBootstrap {
  private readonly version = serverVersion();

  constructor(
    private readonly nodeInfos: NodeInfos,
    private readonly broadcasts: Broadcasts,
    private readonly plugins: PaymentPluginRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.broadcasts.onBroadcast(NODE_COMMAND_SERVICE, (broadcast) => this.execute(broadcast));
    await this.nodeInfos.recordBoot(this.currentInfo());
  }

  async nodesInfo(): Promise<NodeInfo[]> {
    const nodes = await this.nodeInfos.all();
    return nodes.map((node) => ({
      nodeName: node.nodeName,
      bootTime: node.bootDate.toISOString(),
      lastUpdatedDate: node.updatedDate.toISOString(),
      ...(JSON.parse(node.nodeInfo) as StoredNodeInfo),
    }));
  }

  async triggerNodeCommand(command: NodeCommand, localNodeOnly: boolean): Promise<void> {
    const type = command.nodeCommandType;
    if (PLUGIN_PACKAGE_COMMANDS.has(type)) {
      throw new InvalidRequestException(`Invalid node command ${type}: the plugins of this server are built in, they cannot be installed or uninstalled at run time`);
    }
    if (!isPluginStateCommand(type)) throw new InvalidRequestException(`Invalid node command ${type}: no part of this server handles it`);
    const properties = command.nodeCommandProperties ?? [];
    const valueOf = (key: string): string | null => {
      const value = properties.find((property) => property.key === key)?.value;
      return typeof value === 'string' ? value : null;
    };
    const event: PluginCommandEvent = {
      pluginKey: valueOf('pluginKey'),
      pluginName: valueOf('pluginName'),
      pluginVersion: valueOf('pluginVersion'),
      // As Kill Bill, the other properties travel on, with this node's version added.
      properties: [...properties.filter(({ key }) => !['pluginKey', 'pluginName', 'pluginVersion'].includes(key)).map(({ key, value }) => ({ key, value })), { key: 'kbVersion', value: this.version }],
    };
    this.requirePlugin(event, type);
    await this.broadcasts.broadcast({ serviceName: NODE_COMMAND_SERVICE, type, event: JSON.stringify(event) }, currentContext().createdBy ?? 'unset', localNodeOnly);
  }

  /** A node command arriving on this node (from the broadcast table, or directly with localNodeOnly). */
  private async execute({ type, event }: Broadcast): Promise<void> {
    if (!isPluginStateCommand(type)) return;
    const name = this.requirePlugin(JSON.parse(event) as PluginCommandEvent, type);
    for (const running of PLUGIN_STATE_COMMANDS[type]) this.plugins.setRunning(name, running);
    await this.nodeInfos.update(this.currentInfo());
  }

  /** The registered plugin the command names by pluginName or pluginKey (the built-in __EXTERNAL_PAYMENT__ is no plugin). */
  private requirePlugin({ pluginName, pluginKey }: PluginCommandEvent, type: string): string {
    if (pluginName === null && pluginKey === null) throw new InvalidRequestException(`Invalid node command ${type}: it needs a pluginName or pluginKey property`);
    const plugin = this.plugins.registered().find(({ name, description }) => description && (name === pluginName || (pluginKey !== null && description.pluginKey === pluginKey)));
    if (!plugin) throw new InvalidRequestException(`Invalid node command ${type}: no plugin ${pluginName ?? pluginKey} on this server`);
    return plugin.name;
  }

  private currentInfo(): string {
    const info: StoredNodeInfo = {
      kbVersion: this.version,
      apiVersion: KILLBILL_API_VERSION,
      // One package holds what Kill Bill ships as separate plugin API, commons and platform artifacts.
      pluginApiVersion: this.version,
      commonVersion: this.version,
      platformVersion: this.version,
      pluginsInfo: pluginsInfoOf(this.plugins),
    };
    return JSON.stringify(info);
  }
}

function isPluginStateCommand(type: string): type is PluginStateCommand {
  return Object.hasOwn(PLUGIN_STATE_COMMANDS, type);
}
