import { describeBusOutage } from '../test/busOutage.js';

describeBusOutage({ name: 'Redis', scheme: 'redis', port: Number(process.env.SWITCHBOARD_TEST_REDIS_PORT ?? 6379) });
