import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { deleteSourceFile, getSourceFiles, listSourceFiles, putSourceFile, sourceFileId } from './source-files.ts';
import { openTempDatabase } from './testing/temp-database.ts';

let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
});
afterAll(async () => cleanup());

describe('source files', () => {
  test('put, re-upload, list without content, get by names, delete by id or name', async () => {
    const base = { projectId: 7, release: 'shop@1.2.0' };
    await putSourceFile(db, { ...base, name: '~/static/app.js.map', kind: 'source_map', content: '{"version":3}' });
    await putSourceFile(db, { ...base, name: '~/static/app.js', kind: 'minified_source', content: 'var ä=1;' });
    await putSourceFile(db, { ...base, name: '~/static/app.js.map', kind: 'source_map', content: '{"version":3,"x":1}' });
    await putSourceFile(db, { projectId: 8, release: 'shop@1.2.0', name: '~/static/app.js', kind: 'minified_source', content: 'other project' });

    const listed = await listSourceFiles(db, 7, 'shop@1.2.0');
    expect(listed.map(({ name, kind, size }) => ({ name, kind, size }))).toEqual([
      { name: '~/static/app.js', kind: 'minified_source', size: 9 },
      { name: '~/static/app.js.map', kind: 'source_map', size: 19 },
    ]);
    expect(listed[0]?.id).toBe(sourceFileId('shop@1.2.0', '~/static/app.js'));

    const got = await getSourceFiles(db, 7, 'shop@1.2.0', ['~/static/app.js.map', '~/static/app.js', '~/missing.js']);
    expect([...got.keys()].sort()).toEqual(['~/static/app.js', '~/static/app.js.map']);
    expect(got.get('~/static/app.js.map')).toEqual({ kind: 'source_map', content: '{"version":3,"x":1}' });
    expect((await getSourceFiles(db, 7, 'shop@1.2.1', ['~/static/app.js'])).size).toBe(0);

    expect(await deleteSourceFile(db, 7, 'shop@1.2.0', sourceFileId('shop@1.2.0', '~/static/app.js'))).toBe(true);
    expect(await deleteSourceFile(db, 7, 'shop@1.2.0', '~/static/app.js.map')).toBe(true);
    expect(await deleteSourceFile(db, 7, 'shop@1.2.0', '~/static/app.js.map')).toBe(false);
    expect(await listSourceFiles(db, 7, 'shop@1.2.0')).toEqual([]);
    expect((await getSourceFiles(db, 7, 'shop@1.2.0', ['~/static/app.js'])).size).toBe(0);
    expect((await getSourceFiles(db, 8, 'shop@1.2.0', ['~/static/app.js'])).get('~/static/app.js')?.content).toBe('other project');
  });
});
