import { describeBusOutage } from '../test/busOutage.js';

describeBusOutage({ name: 'NATS', scheme: 'nats', port: Number(process.env.SWITCHBOARD_TEST_NATS_PORT ?? 4222) });
