export declare function copyCluster(cluster: string, dataDir: string): void;
