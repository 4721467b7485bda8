import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where each emulator keeps its data inside a data folder: side by side, each in its own format. */
export interface DataDirLayout {
  /** dynalite's LevelDB. */
  dynamodbDir: string;
  /** fauxqs's SQLite database (`fauxqs.db`): queues, messages visible and in flight, topics, subscriptions. */
  sqsDir: string;
}

const layoutEntries = { dynamodbDir: 'dynamodb', sqsDir: 'sqs' } as const;

/** A data folder the emulators cannot use: names the folder and why. */
export class DataDirError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`The data folder ${dir} ${reason}`);
    this.name = 'DataDirError';
  }
}

function codeOf(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message;
}

function unusable(dir: string, error: unknown): DataDirError {
  const code = codeOf(error);
  if (code === 'EEXIST' || code === 'ENOTDIR') return new DataDirError(dir, `cannot be a folder: it, or a folder on its path, is a file (${code}). Choose another path.`);
  return new DataDirError(dir, `is not writable (${code}). Choose a folder you can write to.`);
}

/**
 * Makes `dir` ready for the emulators, or says why it cannot be: not writable, or holding something
 * other than the data they wrote (LevelDB files at its top are an earlier runtime's DynamoDB-only
 * layout). Hidden files (`.DS_Store`) are left alone.
 */
export function prepareDataDir(dir: string): DataDirLayout {
  const root = resolve(dir);
  try {
    mkdirSync(root, { recursive: true });
  } catch (error) {
    throw unusable(root, error);
  }
  const ours = new Set<string>(Object.values(layoutEntries));
  const foreign = readdirSync(root).filter((name) => !name.startsWith('.') && !ours.has(name));
  if (foreign.includes('CURRENT')) {
    throw new DataDirError(
      root,
      `holds DynamoDB data in an earlier layout (LevelDB files at its top, no queues). To keep the items, move those files into ${join(root, layoutEntries.dynamodbDir)}/; or choose a new folder.`,
    );
  }
  if (foreign.length > 0) {
    const named = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, and ${foreign.length - 3} more` : '');
    throw new DataDirError(root, `holds files the local runtime did not write (${named}). Choose an empty or new folder.`);
  }
  const layout: DataDirLayout = { dynamodbDir: join(root, layoutEntries.dynamodbDir), sqsDir: join(root, layoutEntries.sqsDir) };
  // A folder can exist and still refuse writes (permissions, a read-only mount): find out now, not
  // when the first message is sent.
  for (const [key, name] of Object.entries(layoutEntries)) {
    try {
      mkdirSync(layout[key as keyof DataDirLayout], { recursive: true });
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw unusable(root, error);
      throw new DataDirError(root, `holds a file named ${name} where a folder belongs. Move it aside, or choose an empty or new folder.`);
    }
  }
  const probe = join(root, '.write-check');
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw unusable(root, error);
  }
  return layout;
}
