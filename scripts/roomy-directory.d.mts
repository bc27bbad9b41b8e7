/** Whether `path` is a directory this process may write to with at least `minFreeBytes` free. */
export declare function isRoomyWritableDirectory(path: string, minFreeBytes: number): boolean;
