import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** One certificate for every emulator the tests start: it is created once and then reused. */
export const testCertDir = path.join(tmpdir(), 'hubjobs-test-hub-emulator-cert');
