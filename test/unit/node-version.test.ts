import { describe, expect, it } from 'vitest';
import { NODE_RANGE, nodeRefusal, nodeSupported } from '../../shared/node-version.js';

describe('the Node guard of the bin and the generators', () => {
  it('lets every supported Node through', () => {
    for (const version of ['v22.18.0', 'v22.23.5', 'v24.11.0', 'v24.22.3', 'v25.2.1', 'v26.0.0-rc.1', '24.11.0']) {
      expect(nodeSupported(version), version).toBe(true);
      expect(nodeRefusal(version), version).toBeUndefined();
    }
  });

  it('refuses an older one in one line naming the Node found, the range needed and how to get it', () => {
    for (const version of ['v16.20.2', 'v18.20.4', 'v20.20.2', 'v22.17.1', 'v23.11.0', 'v24.10.0']) {
      const line = nodeRefusal(version);
      expect(line, version).toBeDefined();
      expect(line).not.toContain('\n');
      expect(line).toContain(`Node.js ${version} is not supported`);
      expect(line).toContain(`needs Node.js ${NODE_RANGE}`);
      expect(line).toContain('https://nodejs.org/');
      expect(line).toContain('nvm install 24');
    }
  });
});
