// Plain JavaScript, so that jest.config.mjs can import it as well as the TypeScript that does.
import { accessSync, constants, statSync, statfsSync } from 'node:fs';

/** Whether `path` is a directory this process may write to with at least `minFreeBytes` free. */
export function isRoomyWritableDirectory(path, minFreeBytes) {
  try {
    accessSync(path, constants.W_OK);
    const { bavail, bsize } = statfsSync(path);
    return statSync(path).isDirectory() && bavail * bsize >= minFreeBytes;
  } catch {
    return false;
  }
}
