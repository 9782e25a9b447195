import type { Bus } from '../bus/bus.js';
import type { AgentCommandResults, ImAgentEvent } from '../bus/events.js';
import { toAppError } from '../errors.js';
import type { AgentDuty } from './agentDuty.js';
import type { ChatClosing } from './closing.js';
import type { Relay } from './relay.js';
import type { Transfers } from './transfers.js';

type CommandEvent = Extract<ImAgentEvent, { kind: 'command' }>;

/**
 * The CS system's side of 'im.agent': runs each agent command and answers on 'service.agent' with
 * the same requestId once the change is committed (that answer becomes the agent's ack or error).
 */
export function startAgentCommands(
  bus: Bus,
  parts: { duty: AgentDuty; relay: Relay; closing: ChatClosing; transfers: Transfers },
  onError: (error: unknown) => void,
): () => void {
  async function run(event: CommandEvent): Promise<AgentCommandResults[keyof AgentCommandResults]> {
    const { agentId, agentName, command } = event;
    switch (command.kind) {
      case 'sync':
        return parts.duty.sync(agentId, agentName, event.nodeId);
      case 'duty.set':
        return { status: await parts.duty.set(agentId, agentName, command.status, event.nodeId) };
      case 'send':
        return { message: await parts.relay.fromAgent(agentId, agentName, command.chatId, command.clientId, command.body, false) };
      case 'note':
        return { message: await parts.relay.fromAgent(agentId, agentName, command.chatId, command.clientId, command.body, true) };
      case 'typing':
        await parts.relay.agentTyping(agentId, command.chatId, command.state);
        return {};
      case 'close':
        await parts.closing.byAgent(agentId, agentName, command.chatId);
        return {};
      case 'transfer':
        await parts.transfers.transfer(agentId, command.chatId, command.to);
        return {};
      case 'invite':
        await parts.transfers.invite(agentId, agentName, command.chatId, command.agentId);
        return {};
    }
  }

  async function handle(event: CommandEvent): Promise<void> {
    try {
      const result = await run(event);
      bus.publish('service.agent', { kind: 'reply', requestId: event.requestId, ok: true, result });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.report) onError(error);
      bus.publish('service.agent', { kind: 'reply', requestId: event.requestId, ok: false, error: appError.toBody() });
    }
  }

  return bus.subscribe('im.agent', (event) => {
    switch (event.kind) {
      case 'command':
        void handle(event);
        return;
      case 'gone':
        parts.duty.gone(event.agentId, event.reason, event.nodeId).catch(onError);
        return;
      case 'alive':
        parts.duty.alive(event.nodeId, event.agentIds).catch(onError);
        return;
    }
  });
}
