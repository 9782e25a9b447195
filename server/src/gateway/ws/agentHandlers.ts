import { AppError } from '../../errors.js';
import type { AgentFrameType, Handlers } from './handlers.js';

/**
 * Agent frames before the customer-service system is attached: each is refused with a typed
 * error. The CS system's bridge replaces this with its own handlers.
 */
export function serviceUnavailableHandlers(): Handlers<AgentFrameType> {
  const refuse = async () => {
    throw new AppError('unavailable', 'Customer service is not available on this server.');
  };
  return { 'duty.set': refuse, 'visitor.send': refuse, 'visitor.note': refuse, 'visitor.typing': refuse, 'visitor.close': refuse, 'visitor.transfer': refuse, 'visitor.invite': refuse };
}
