import { describe, expect, it } from 'vitest';
import { parseTemplateFolder, templateFolderApplies } from '../../shared/engine/template-folders.js';

const project = { present: new Set(['worker', 'redis']), options: { worker: { backend: 'taskiq' } } };

describe('template folders', () => {
  it('reads the folder names a feature may hold', () => {
    expect(parseTemplateFolder('templates')).toEqual({ other: undefined, present: true });
    expect(parseTemplateFolder('templates[backend=arq]')).toEqual({ other: undefined, present: true, option: { name: 'backend', values: ['arq'] } });
    expect(parseTemplateFolder('templates-with-worker')).toEqual({ other: 'worker', present: true });
    expect(parseTemplateFolder('templates-without-auth')).toEqual({ other: 'auth', present: false });
    expect(parseTemplateFolder('templates-with-worker[backend=arq]')).toEqual({
      other: 'worker',
      present: true,
      option: { name: 'backend', values: ['arq'] },
    });
    expect(parseTemplateFolder('templates[backend=taskiq,dramatiq]')).toEqual({ other: undefined, present: true, option: { name: 'backend', values: ['taskiq', 'dramatiq'] } });
    for (const other of ['contrib', 'README.md', 'spec.ts', 'templates-extra', 'templates[backend]', 'templates[backend=a,]']) expect(parseTemplateFolder(other)).toBeUndefined();
  });

  it("renders a feature's option folder only for that option value", () => {
    expect(templateFolderApplies('templates', 'worker', project)).toBe(true);
    expect(templateFolderApplies('templates[backend=taskiq]', 'worker', project)).toBe(true);
    expect(templateFolderApplies('templates[backend=arq]', 'worker', project)).toBe(false);
    // Files two values share: rendered for either.
    expect(templateFolderApplies('templates[backend=taskiq,dramatiq]', 'worker', project)).toBe(true);
    expect(templateFolderApplies('templates[backend=arq,dramatiq]', 'worker', project)).toBe(false);
  });

  it("renders another feature's folders by its presence and option values", () => {
    expect(templateFolderApplies('templates-with-worker', 'comms', project)).toBe(true);
    expect(templateFolderApplies('templates-with-worker[backend=taskiq]', 'comms', project)).toBe(true);
    expect(templateFolderApplies('templates-with-worker[backend=arq]', 'comms', project)).toBe(false);
    expect(templateFolderApplies('templates-without-worker[backend=arq]', 'comms', project)).toBe(true);
    expect(templateFolderApplies('templates-without-worker', 'comms', project)).toBe(false);
    expect(templateFolderApplies('templates-with-auth', 'comms', project)).toBe(false);
    expect(templateFolderApplies('templates-without-auth', 'comms', project)).toBe(true);
    expect(templateFolderApplies('contrib', 'comms', project)).toBe(false);
  });
});
