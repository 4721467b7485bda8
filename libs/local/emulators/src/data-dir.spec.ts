import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirError, prepareDataDir } from './data-dir.js';

describe('prepareDataDir', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'fanout-data-dir-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('makes a new folder with a place for each emulator, and takes it again on the next start', () => {
    // Prepare
    const dir = join(parent, 'new', 'data');

    // Act
    const first = prepareDataDir(dir);
    writeFileSync(join(first.sqsDir, 'fauxqs.db'), '');
    const second = prepareDataDir(dir);

    // Assess
    expect(first).toEqual({ dynamodbDir: join(dir, 'dynamodb'), sqsDir: join(dir, 'sqs') });
    expect(second).toEqual(first);
    expect(readdirSync(dir).sort()).toEqual(['dynamodb', 'sqs']);
  });

  it('takes an empty folder, and leaves hidden files alone', () => {
    // Prepare
    writeFileSync(join(parent, '.DS_Store'), '');

    // Act
    const layout = prepareDataDir(parent);

    // Assess
    expect(existsSync(layout.dynamodbDir)).toBe(true);
    expect(existsSync(join(parent, '.DS_Store'))).toBe(true);
  });

  it('refuses a folder holding files it did not write, naming some, and writes nothing there', () => {
    // Prepare
    for (const name of ['package.json', 'README.md', 'src', 'notes.txt']) writeFileSync(join(parent, name), '');

    // Act
    const preparing = () => prepareDataDir(parent);

    // Assess
    expect(preparing).toThrow(DataDirError);
    expect(preparing).toThrow(`The data folder ${parent} holds files the local runtime did not write (`);
    expect(preparing).toThrow('and 1 more). Choose an empty or new folder.');
    expect(readdirSync(parent).sort()).toEqual(['README.md', 'notes.txt', 'package.json', 'src']);
  });

  it('refuses the earlier layout (LevelDB at the top) and says where to move it', () => {
    // Prepare
    for (const name of ['CURRENT', 'LOCK', 'LOG', 'MANIFEST-000002', '000003.log']) writeFileSync(join(parent, name), '');

    // Act
    const preparing = () => prepareDataDir(parent);

    // Assess
    expect(preparing).toThrow(`holds DynamoDB data in an earlier layout (LevelDB files at its top, no queues). To keep the items, move those files into ${join(parent, 'dynamodb')}/`);
  });

  it('refuses a path that is, or runs through, a file', () => {
    // Prepare
    const file = join(parent, 'a-file');
    writeFileSync(file, '');

    // Act
    const onFile = () => prepareDataDir(file);
    const underFile = () => prepareDataDir(join(file, 'data'));

    // Assess
    expect(onFile).toThrow(`The data folder ${file} cannot be a folder: it, or a folder on its path, is a file (EEXIST). Choose another path.`);
    expect(underFile).toThrow(`The data folder ${join(file, 'data')} cannot be a folder: it, or a folder on its path, is a file (ENOTDIR). Choose another path.`);
  });

  it('refuses a folder where a file stands in for an emulator’s place', () => {
    // Prepare
    writeFileSync(join(parent, 'sqs'), '');

    // Act
    const preparing = () => prepareDataDir(parent);

    // Assess
    expect(preparing).toThrow(DataDirError);
    expect(preparing).toThrow(`The data folder ${parent} holds a file named sqs where a folder belongs.`);
  });

  it('names the directory and the reason in the error', () => {
    // Prepare
    mkdirSync(join(parent, 'taken'));
    writeFileSync(join(parent, 'taken', 'other.db'), '');

    // Act
    let error: unknown;
    try {
      prepareDataDir(join(parent, 'taken'));
    } catch (thrown) {
      error = thrown;
    }

    // Assess
    expect(error).toMatchObject({ dir: join(parent, 'taken'), reason: expect.stringContaining('other.db') });
  });
});
